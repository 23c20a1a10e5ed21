"""A real SMTP server in the test process (aiosmtpd on 127.0.0.1), and Django pointed at it."""

from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from ports import free_port


class Inbox:
    """aiosmtpd's handler: keeps each message it accepts; `refuse` makes it answer 550."""

    def __init__(self):
        self.messages = []
        self.raw = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "550 5.7.1 Not accepting mail right now"
        self.raw.append(envelope.content)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 2.0.0 Accepted"


class SMTPServer:
    def __init__(self):
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self):
        return self.inbox.messages

    def mailers(self):
        """MAILERS sending to this server, as EMAIL_HOST/EMAIL_PORT would configure it."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
