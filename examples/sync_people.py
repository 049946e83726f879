#!/usr/bin/env python3
"""Push people from a CSV file to talentdev's HR API: an example integration.

    python sync_people.py people.csv --url https://talentdev.example.com
        --client-id ID --client-secret SECRET

The URL, client id and secret can also come from TALENTDEV_URL, TALENTDEV_CLIENT_ID and
TALENTDEV_CLIENT_SECRET. The client needs the `people:write` scope.

The CSV has a header row naming any of these columns (employee_id is required):
employee_id, first_name, last_name, email, job_title, org_unit, job_role,
manager_employee_id, active. An empty cell clears that field (no manager, no org unit),
except `active`: true or false, and left as it is when empty.

Rows go to POST /api/v1/people/bulk in batches of up to 500. Each batch is saved whole
or not at all: a refused batch is printed with the CSV line and the field errors of each
record it refused, and the script exits with status 1. Each batch has its own
Idempotency-Key, so the retries it makes (after a 429 or a server error) cannot save it
twice. A batch whose request times out or is cut off stops the script: run it again, as
every batch is an upsert by employee ID. It asks for one token, which lasts an hour.

Standard library only: copy it, and change what your HR system needs.
"""

import argparse
import base64
import csv
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

COLUMNS = (
    "employee_id",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "org_unit",
    "job_role",
    "manager_employee_id",
    "active",
)
# Codes and employee IDs that name another record: an empty cell sends null, "none".
REFERENCES = ("org_unit", "job_role", "manager_employee_id")
MAX_BATCH = 500  # the most the API takes in one bulk request
ATTEMPTS = 5


class Refused(Exception):
    """The API refused a request; `problem` is its RFC 9457 body."""

    def __init__(self, status, problem, retry_after=None):
        super().__init__(f"{status} {problem.get('title', '')}: {problem.get('detail', '')}")
        self.status = status
        self.problem = problem
        self.retry_after = retry_after


def read_rows(path):
    """[(CSV line number, record)] for every row of the file."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        if "employee_id" not in (reader.fieldnames or []):
            raise SystemExit(f"{path}: the header row has no employee_id column.")
        rows = []
        for row in reader:
            record = {name: row[name].strip() for name in COLUMNS if row.get(name) is not None}
            for name in REFERENCES:
                if record.get(name) == "":
                    record[name] = None
            if "active" in record:
                if record["active"] == "":
                    del record["active"]  # left as it is
                else:  # the API judges anything but true or false
                    flag = record["active"].lower()
                    record["active"] = {"true": True, "false": False}.get(flag, flag)
            rows.append((reader.line_num, record))
        return rows


def call(method, url, *, body=None, headers=None):
    """Send a request; return its JSON body, or raise Refused with the problem."""
    # The URL's scheme is http or https: main() checks it.
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8", "replace")
        try:
            problem = json.loads(text)
        except ValueError:
            problem = {"detail": text[:200]}
        raise Refused(error.code, problem, error.headers.get("Retry-After")) from None


def get_token(base_url, client_id, secret):
    """An access token by OAuth 2.0 client credentials (it lasts an hour)."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    answer = call(
        "POST",
        f"{base_url}/api/v1/oauth/token",
        body=urllib.parse.urlencode({"grant_type": "client_credentials"}).encode(),
        headers={
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    return answer["access_token"]


def push_batch(base_url, token, records):
    """POST one batch, retrying when asked to wait (429) or when the server failed (5xx).

    The retry sends the same Idempotency-Key: if the first attempt was saved after all,
    the API answers with its result instead of saving again.
    """
    key = str(uuid.uuid4())
    body = json.dumps({"records": records}).encode()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return call(
                "POST",
                f"{base_url}/api/v1/people/bulk",
                body=body,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": key,
                },
            )
        except Refused as refused:
            retry = refused.status == 429 or refused.status >= 500
            if not retry or attempt == ATTEMPTS:
                raise
            wait = int(refused.retry_after or 2**attempt)
            print(f"  {refused.status}: waiting {wait} s before trying again", file=sys.stderr)
            time.sleep(wait)


def report_refusal(batch, problem):
    """Print each refused record as its CSV line, with its field errors."""
    print(f"  refused, nothing in this batch was saved: {problem.get('detail', '')}")
    by_record = {}
    for error in problem.get("errors", []):
        # "records.3.email" is the email of the batch's fourth record.
        parts = error["field"].split(".", 2)
        if len(parts) >= 2 and parts[0] == "records" and parts[1].isdigit():
            field = parts[2] if len(parts) == 3 else ""
            by_record.setdefault(int(parts[1]), []).append((field, error["message"]))
        else:
            by_record.setdefault(None, []).append((error["field"], error["message"]))
    for index, errors in sorted(by_record.items(), key=lambda item: (item[0] is None, item[0])):
        if index is None:
            where = "  the whole batch"
        else:
            line, record = batch[index]
            where = f"  line {line} (record {index}, {record.get('employee_id', '?')})"
        for field, message in errors:
            print(f"{where}: {field or 'record'}: {message}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv_file", help="the people, one a row, with a header row")
    parser.add_argument("--url", default=os.environ.get("TALENTDEV_URL"))
    parser.add_argument("--client-id", default=os.environ.get("TALENTDEV_CLIENT_ID"))
    parser.add_argument("--client-secret", default=os.environ.get("TALENTDEV_CLIENT_SECRET"))
    parser.add_argument("--batch-size", type=int, default=MAX_BATCH)
    options = parser.parse_args(argv)
    if not (options.url and options.client_id and options.client_secret):
        parser.error("give --url, --client-id and --client-secret (or their TALENTDEV_ variables)")
    if not 1 <= options.batch_size <= MAX_BATCH:
        parser.error(f"--batch-size is 1 to {MAX_BATCH}")
    base_url = options.url.rstrip("/")
    if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
        parser.error("--url is an http:// or https:// address")

    rows = read_rows(options.csv_file)
    try:
        token = get_token(base_url, options.client_id, options.client_secret)
    except (Refused, urllib.error.URLError) as failure:
        print(f"Could not get a token: {failure}", file=sys.stderr)
        return 2

    created = updated = refused = 0
    for start in range(0, len(rows), options.batch_size):
        batch = rows[start : start + options.batch_size]
        print(f"Lines {batch[0][0]}-{batch[-1][0]} ({len(batch)} people):")
        try:
            result = push_batch(base_url, token, [record for _, record in batch])
        except Refused as failure:
            if failure.status != 400:
                print(f"  failed: {failure}", file=sys.stderr)
                return 2
            report_refusal(batch, failure.problem)
            refused += len(batch)
            continue
        except urllib.error.URLError as failure:
            print(f"  failed: {failure.reason}", file=sys.stderr)
            return 2
        created += result["created"]
        updated += result["updated"]
        print(f"  {result['created']} created, {result['updated']} updated")

    print(f"Done: {created} created, {updated} updated, {refused} not saved.")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
