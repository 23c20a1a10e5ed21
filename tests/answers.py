"""Members' answers to the six audit steps, as the step forms post them.

Plain data, so that the bench (bench/run.py) posts the same answers without Django.
"""

# SIGIR and Glean make Retrieval the recommendation.
RETRIEVAL_ANSWERS = {
    0: {"years": "2-3", "tried": ["retrieval", "evals"]},
    1: {"lost-track-of-time": [], "note": "Hybrid search that kept missing acronyms"},
    2: {"free-time-reading": []},
    3: {"talks": ["sigir:talk"]},
    4: {"companies": ["glean"]},
    5: {
        "pay-main-draw": "no",
        "weekly-release-notes": "yes",
        "day-job-depth": "yes",
        "hot-this-quarter": "no",
    },
}

# A second, different audit (an Evals leaning with two warnings), finished through the services
# so that My audits shows a trend of two and the comparison has changes to highlight.
EVALS_ANSWERS = {
    0: {"years": "3-5", "tried": ["evals", "agents"]},
    1: {"lost-track-of-time": ["confusing-eval-result"], "note": ""},
    2: {"free-time-reading": ["eval-blog-posts"]},
    3: {"talks": ["evalscon:talk"]},
    4: {"companies": ["braintrust"]},
    5: {
        "pay-main-draw": "yes",
        "weekly-release-notes": "yes",
        "day-job-depth": "no",
        "hot-this-quarter": "yes",
    },
}

# The nine tracks of the seed content, in the chapter's order.
TRACK_SLUGS = [
    "retrieval",
    "agents",
    "evals",
    "inference",
    "voice",
    "multimodal",
    "safety",
    "fine-tuning",
    "forward-deployed",
]
