#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentdev.settings")
    from django.core.management import execute_from_command_line

    from talentdev.core.channel import Channel, acting_through

    # What a command changes, its audit history says a command changed (a request it
    # serves, runserver's, says otherwise).
    with acting_through(Channel.COMMAND, " ".join(sys.argv[1:2])):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
