"""Clients from different loopback addresses (every 127.x.y.z is on loopback): to a server on
this machine, each is another person. The served-stack tests and bench/served_findings.py use
them."""

import requests
from requests.adapters import HTTPAdapter


class FromAddress(HTTPAdapter):
    """Connections from one loopback address."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_from(address):
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session
