#!/usr/bin/env python3
"""A small action server answering in the Rasa SDK format.

Written with the standard library only, so that Parley's tests can check
that the action client works with a server that is not Parley's own. It
listens on 127.0.0.1 on a free port and prints the port on its first line.

Actions:
  action_hello         greets the "name" slot; sets "greeted" and reports
                       whether the domain came with the call
  validate_pizza_form  keeps pizza_size when it is small or large
                       (lower-cased), rejects it otherwise
  action_reject        always rejects to run (status 400)
  action_crash         always fails (status 500)
"""

import json
import sys
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Rejected(Exception):
    """Raised by an action that declines to run."""


def slot_set(name, value):
    return {"event": "slot", "timestamp": None, "name": name, "value": value}


def message(text=None, response=None, **kwargs):
    msg = {"text": text, "buttons": [], "elements": [], "custom": {},
           "template": response, "response": response, "image": None,
           "attachment": None}
    msg.update(kwargs)
    return msg


def slots_to_validate(tracker):
    """The values set by the slot events at the end of the event list."""
    events = tracker.get("events") or []
    count = 0
    for event in reversed(events):
        if event.get("event") != "slot":
            break
        count += 1
    values = {}
    for event in events[len(events) - count:]:
        values[event["name"]] = event.get("value")
    return values


def action_hello(tracker, domain):
    name = (tracker.get("slots") or {}).get("name") or "stranger"
    events = [slot_set("greeted", True), slot_set("domain_received", bool(domain))]
    messages = [message(text="Hello from Python, " + name + "!"),
                message(response="utter_greet", name=name)]
    return events, messages


def validate_pizza_form(tracker, domain):
    if "pizza_form" not in (domain.get("forms") or {}):
        raise ValueError("the domain of a validate_ action must list the form")
    events, messages = [], []
    for name, value in slots_to_validate(tracker).items():
        if name == "pizza_size":
            if isinstance(value, str) and value.lower() in ("small", "large"):
                value = value.lower()
            else:
                messages.append(message(text="We only have small or large pizzas."))
                value = None
        events.append(slot_set(name, value))
    return events, messages


def action_reject(tracker, domain):
    raise Rejected("not in this state")


def action_crash(tracker, domain):
    raise RuntimeError("the database is down")


ACTIONS = {
    "action_hello": action_hello,
    "validate_pizza_form": validate_pizza_form,
    "action_reject": action_reject,
    "action_crash": action_crash,
}


class Handler(BaseHTTPRequestHandler):
    def reply(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, {"status": "ok"})
        elif self.path == "/actions":
            self.reply(200, [{"name": name} for name in ACTIONS])
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        if self.path.split("?")[0] != "/webhook":
            self.reply(404, {"error": "not found"})
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            if self.headers.get("Content-Encoding") == "deflate":
                body = zlib.decompress(body)
            call = json.loads(body)
        except (ValueError, zlib.error):
            self.reply(400, {"error": "Invalid body request"})
            return
        name = call.get("next_action")
        action = ACTIONS.get(name)
        if action is None:
            self.reply(404, {"error": "No registered action found for name '%s'." % name,
                             "action_name": name})
            return
        try:
            events, messages = action(call["tracker"], call.get("domain") or {})
        except Rejected as exc:
            self.reply(400, {"error": str(exc), "action_name": name})
            return
        except Exception as exc:  # the SDK answers any failure with 500
            self.reply(500, {"error": str(exc), "request_body": call})
            return
        self.reply(200, {"events": events, "responses": messages})

    def log_message(self, format, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
