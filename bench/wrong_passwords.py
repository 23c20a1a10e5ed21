"""/healthz while six clients send wrong passwords from one address: password checks must not
starve the site.

Usage: start the site (e.g. gunicorn careerguide.wsgi -w 3 -b 127.0.0.1:8931 with
DJANGO_INSECURE_HTTP=1), then `python bench/wrong_passwords.py 8931`. It times /healthz for 5 s
alone, then for 20 s while six clients post wrong passwords to /accounts/login/, and prints the
median, 95th percentile and worst /healthz time of each, and the answers the log-ins got.
"""

import http.client
import re
import statistics
import sys
import threading
import time
import urllib.parse

HOST = "127.0.0.1"
CLIENTS = 6


def guesser(port, number, answers, stop):
    """One client: a log-in page for its CSRF token, then wrong passwords, twenty a page."""
    while not stop.is_set():
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        conn.request("GET", "/accounts/login/")
        response = conn.getresponse()
        page = response.read().decode()
        cookie = "; ".join(
            value.split(";")[0]
            for name, value in response.getheaders()
            if name.lower() == "set-cookie"
        )
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        headers = {
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{port}/accounts/login/",
        }
        for _ in range(20):
            if stop.is_set():
                break
            body = urllib.parse.urlencode(
                {"login": f"victim{number}", "password": "wrong", "csrfmiddlewaretoken": token}
            )
            conn.request("POST", "/accounts/login/", body, headers)
            status = conn.getresponse()
            status.read()
            answers[status.status] = answers.get(status.status, 0) + 1
        conn.close()


def time_healthz(port, seconds):
    times, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        started = time.perf_counter()
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        times.append(time.perf_counter() - started)
        conn.close()
        time.sleep(0.05)
    return times


def summary(times):
    ordered = sorted(times)
    return (
        f"median {statistics.median(ordered) * 1000:.1f} ms, "
        f"p95 {ordered[int(len(ordered) * 0.95)] * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms"
    )


def main(port):
    alone = time_healthz(port, 5)
    answers, stop = {}, threading.Event()
    threads = [
        threading.Thread(target=guesser, args=(port, n, answers, stop)) for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    busy = time_healthz(port, 20)
    stop.set()
    for thread in threads:
        thread.join()
    print(f"/healthz alone: {summary(alone)}")
    print(f"/healthz with {CLIENTS} clients sending wrong passwords: {summary(busy)}")
    print(f"log-in answers: {dict(sorted(answers.items()))}")


if __name__ == "__main__":
    main(int(sys.argv[1]))
