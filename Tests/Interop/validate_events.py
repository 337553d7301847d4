#!/usr/bin/env python3
"""Validate Realtime GA events (one JSON object per line) against the official openai SDK types.

Each line is classified by its "type": client events are checked against the SDK's
RealtimeClientEvent union, server events against RealtimeServerEvent, both with pydantic in
strict mode. The SDK models accept unknown fields silently (extra="allow"), so after validation
every nested model is walked and any field the SDK does not declare is reported too. The only
exception: the session object of session.created/updated may carry the server-only fields of
RealtimeSessionCreateResponse (id, object, expires_at); the session is validated against that
model as well.

Usage: validate_events.py FILE.jsonl  -> exit 0 when every line passes, 1 otherwise (failures on
stdout, one per line: "<line>: <type>: <problem>"). Run by Tests/RealtimeTests (SDKValidationTests).
"""
import json
import sys
import typing

import pydantic
from openai.types.realtime.realtime_client_event import RealtimeClientEvent
from openai.types.realtime.realtime_server_event import RealtimeServerEvent
from openai.types.realtime.realtime_session_create_response import RealtimeSessionCreateResponse

CLIENT = pydantic.TypeAdapter(RealtimeClientEvent)
SERVER = pydantic.TypeAdapter(RealtimeServerEvent)
SESSION_RESPONSE = pydantic.TypeAdapter(RealtimeSessionCreateResponse)


def members_by_type(union):
    """The member model of a discriminated event union for each `type` literal."""
    inner = typing.get_args(union)[0]  # Annotated[Union[...], PropertyInfo] -> Union[...]
    members = {}
    for member in typing.get_args(inner):
        for lit in typing.get_args(member.model_fields["type"].annotation):
            members[lit] = member
    return members


CLIENT_TYPES = members_by_type(RealtimeClientEvent)
SERVER_TYPES = members_by_type(RealtimeServerEvent)


def undeclared_fields(value, path, allowed):
    """Paths of fields the SDK models do not declare (pydantic keeps them in model_extra)."""
    found = []
    if isinstance(value, pydantic.BaseModel):
        for key in (value.model_extra or {}):
            if f"{path}.{key}".lstrip(".") not in allowed:
                found.append(f"{path}.{key}".lstrip("."))
        for name in type(value).model_fields:
            found += undeclared_fields(getattr(value, name), f"{path}.{name}", allowed)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += undeclared_fields(item, f"{path}[{i}]", allowed)
    return found


def validate(obj):
    """A list of problems with one event (empty when it passes)."""
    kind = obj.get("type") if isinstance(obj, dict) else None
    if kind in CLIENT_TYPES:
        adapter, member = CLIENT, CLIENT_TYPES[kind]
    elif kind in SERVER_TYPES:
        adapter, member = SERVER, SERVER_TYPES[kind]
    else:
        return [f"type {kind!r} is not a GA client or server event"]
    try:
        # The member model first, for errors about the event itself; then the union as a whole.
        pydantic.TypeAdapter(member).validate_python(obj, strict=True)
        model = adapter.validate_python(obj, strict=True)
    except pydantic.ValidationError as e:
        return [f"{err['loc']}: {err['msg']}" for err in e.errors()]
    if model.type != kind:
        return [f"validated as {model.type!r}"]
    allowed = set()
    problems = []
    if kind in ("session.created", "session.updated"):
        allowed = {"session.id", "session.object", "session.expires_at"}
        try:
            SESSION_RESPONSE.validate_python(obj["session"], strict=True)
        except pydantic.ValidationError as e:
            problems += [f"session as RealtimeSessionCreateResponse {err['loc']}: {err['msg']}" for err in e.errors()]
    problems += [f"field not in the SDK types: {p}" for p in undeclared_fields(model, "", allowed)]
    return problems


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    failures = 0
    count = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            count += 1
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{number}: not JSON: {e}")
                failures += 1
                continue
            for problem in validate(obj):
                print(f"{number}: {obj.get('type')}: {problem}")
                failures += 1
    print(f"validated {count} events, {failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
