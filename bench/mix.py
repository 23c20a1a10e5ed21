"""The realistic mix for Locust, at a fixed arrival rate: every person sends on a schedule of
their own (random gaps, Poisson arrivals), not as soon as the last answer came, so a slow site
shows as slow answers, not as fewer requests.

    locust -f bench/mix.py --headless -u 100 -r 100 -t 60s --host http://127.0.0.1:PORT

bench/run.py runs it with BENCH_PEOPLE (a JSON file: `catalogue`, every catalogue page;
`readers`, [session, newest audit, older audit] of signed-in members; `walkers`, session keys
of members who take an audit; `answers`, each audit's six step bodies, urlencoded), BENCH_RATE
(requests a second, all people together) and BENCH_USERS (as -u). Of every ten people, five are
visitors opening catalogue pages at random (every second one revalidating pages seen before with
If-None-Match), three are members opening a history, a result, a comparison or their account
(each request another member), one is a member walking an audit (the start page, its POST,
each step's page and its POST with the page's CSRF token, the result) and one a visitor walking
one, each walk a new browser from an address of its own (X-Forwarded-For, as a load balancer
in front of nginx sends it).
"""

import itertools
import json
import os
import random
import re
import secrets
import time
from pathlib import Path

import gevent
from locust import HttpUser, task

PEOPLE = json.loads(Path(os.environ["BENCH_PEOPLE"]).read_text())
PERIOD = int(os.environ["BENCH_USERS"]) / float(os.environ["BENCH_RATE"])  # seconds
ENCODINGS = {"Accept-Encoding": "gzip, deflate, br"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
readers = itertools.cycle(PEOPLE["readers"])
walkers = itertools.cycle(PEOPLE["walkers"])
addresses = itertools.count(1)
visitors = itertools.count()


class Person(HttpUser):
    """One person sending on a schedule of their own, whenever the last answer came (at once
    when it is already late): the gaps between their requests are random (exponential, PERIOD
    seconds on average), so all the people together arrive as independent people do, a Poisson
    stream at the mix's rate, clumps included. Not Locust's constant_throughput: it keeps each
    person in step with the moment Locust spawned them, and Locust spawns them within a second,
    so the requests would arrive in bursts of dozens."""

    abstract = True

    def on_start(self):
        self.next_send = time.monotonic()
        gevent.sleep(self.wait_time())

    def wait_time(self):
        self.next_send += random.expovariate(1 / PERIOD)  # noqa: S311  # nosec B311
        return max(0.0, self.next_send - time.monotonic())


class Visitor(Person):
    weight = 5

    def on_start(self):
        self.etags = {} if next(visitors) % 2 else None  # every second one revalidates
        super().on_start()

    @task
    def open_page(self):
        path = random.choice(PEOPLE["catalogue"])  # noqa: S311  # nosec B311
        headers = dict(ENCODINGS)
        if self.etags is not None and path in self.etags:
            headers["If-None-Match"] = self.etags[path]
        name = "visitor: revalidate" if "If-None-Match" in headers else "visitor: page"
        with self.client.get(path, headers=headers, name=name, catch_response=True) as response:
            if response.status_code in (200, 304):
                response.success()
                if self.etags is not None and "ETag" in response.headers:
                    self.etags[path] = response.headers["ETag"]


class Reader(Person):
    weight = 3

    @task
    def open_page(self):
        session, newest, older = next(readers)
        kind, path = random.choice(  # noqa: S311  # nosec B311
            [
                ("history", "/audits/"),
                ("result", f"/audits/{newest}/result/"),
                ("compare", f"/audits/compare/?audit={older}&audit={newest}"),
                ("account", "/accounts/"),
            ]
        )
        headers = ENCODINGS | {"Cookie": f"sessionid={session}"}
        self.client.get(path, headers=headers, name=f"member: {kind}", allow_redirects=False)


class Walker(Person):
    """A member walking an audit, one request a turn."""

    weight = 1
    who = "member"

    def on_start(self):
        self.stage = None
        super().on_start()

    def begin(self):
        self.client.cookies.clear()
        self.headers = {}
        if self.who == "visitor":
            n = next(addresses)
            self.headers["X-Forwarded-For"] = (
                f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}"
            )
        else:
            self.client.cookies.set("sessionid", next(walkers))
        self.client.cookies.set("csrftoken", secrets.token_hex(16))
        self.answers = random.choice(PEOPLE["answers"])  # noqa: S311  # nosec B311
        self.stage, self.step, self.path = "form", 0, "/audits/new/"

    @task
    def next_request(self):
        if self.stage is None:
            self.begin()
        stage, name = self.stage, f"{self.who} walk: {self.stage}"
        post = stage in ("start", "post")
        body = f"csrfmiddlewaretoken={getattr(self, 'token', '')}"
        if stage == "post":
            body += "&" + (
                RETAKE_BODY if self.path.endswith(RETAKE_PATH) else self.answers[self.step]
            )
        with self.client.request(
            "POST" if post else "GET",
            self.path,
            data=body if post else None,
            headers=self.headers | (FORM if post else ENCODINGS),
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if not self.advance(response, stage):
                response.failure(f"{stage} answered {response.status_code}")
                self.stage = None  # broken off: the next turn starts a new walk

    def advance(self, response, stage):
        if stage in ("form", "page"):
            found = TOKEN.search(response.text) if response.status_code == 200 else None
            if found:
                self.token, self.stage = found.group(1), "start" if stage == "form" else "post"
            return bool(found)
        if stage == "result":
            self.stage = None
            return response.status_code == 200
        if response.status_code != 302:
            return False
        retake = self.path.endswith(RETAKE_PATH)
        self.path = response.headers["Location"]
        if stage == "start" or retake:  # the retake step is followed by the first step
            self.stage = "page"
        elif self.step == len(self.answers) - 1:
            self.stage = "result"
        else:
            self.step, self.stage = self.step + 1, "page"
        return True


# A member whose last audit is three months old or more is first asked the retake step.
RETAKE_PATH = "/step/retake/"
RETAKE_BODY = "did=side&pull=3&action=continue"


class VisitorWalker(Walker):
    """A visitor walking an audit: the session cookie its start sets makes the audit theirs."""

    weight = 1
    who = "visitor"
