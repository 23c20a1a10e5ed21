"""The development mail backend: mail printed to the console with every line as it is."""

import email.policy

from django.core.mail.backends.console import EmailBackend


class ConsoleEmailBackend(EmailBackend):
    """Django's console backend, but a long line (a confirmation link) is printed whole and in
    8bit, where Django's would fold it with quoted-printable (`…NRQNkq=` and the rest on the
    next line) and the first half would open a 404. RFC 5322 allows lines of 998 characters."""

    policy = email.policy.default.clone(max_line_length=998, cte_type="8bit")

    def write_message(self, message):
        self.stream.write(f"{message.message(policy=self.policy).as_bytes().decode()}\n")
        self.stream.write("-" * 79)
        self.stream.write("\n")
