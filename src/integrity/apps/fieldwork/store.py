"""The statements run on every questionnaire page and at completion, written out
once in SQL. The ORM took longer to build them than the database to run them,
and these are the requests a whole country's respondents make
(bench/fieldwork_load.py measures them). Table and column names come from the
models, so a renamed field still lands here; everything else uses the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import psycopg
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction

from integrity.apps.registry.models import TargetTask

from .models import CompletionTally, Invitation, InvitationStatus, QuotaFill


@dataclass(frozen=True)
class _Statements:
    context: str
    state: str
    save_draft: str
    mark_opened: str
    lock: str
    close: str
    finish: str
    quota_met: str
    count_quota: str
    count_tally: str


def _names(model, *fields: str) -> tuple[str, dict[str, str]]:
    q = connection.ops.quote_name
    return q(model._meta.db_table), {f: q(model._meta.get_field(f).column) for f in fields}


@lru_cache(maxsize=None)
def _statements(vendor: str) -> _Statements:  # one set per database vendor (quoting, FOR UPDATE)
    inv, c = _names(Invitation, "id", "institution", "task", "survey", "group", "office", "token_hash", "draft_enc",
                    "used", "status", "channel", "mode")
    fill, f = _names(QuotaFill, "task", "completes")
    task, t = _names(TargetTask, "id", "quota")
    tally, y = _names(CompletionTally, "institution", "hour", "source", "completes")
    for_update = " FOR UPDATE" if connection.features.has_select_for_update else ""
    fixed = f"{c['id']}, {c['institution']}, {c['task']}, {c['survey']}, {c['group']}, {c['office']}"
    return _Statements(
        context=f"SELECT {fixed} FROM {inv} WHERE {c['token_hash']} = %s",
        state=f"SELECT {c['draft_enc']}, {c['used']}, {c['status']}, {c['channel']} FROM {inv} WHERE {c['id']} = %s",
        save_draft=f"UPDATE {inv} SET {c['draft_enc']} = %s WHERE {c['id']} = %s AND NOT {c['used']}",
        mark_opened=f"UPDATE {inv} SET {c['status']} = %s WHERE {c['id']} = %s AND {c['status']} IN (%s, %s)",
        lock=f"SELECT {c['draft_enc']}, {c['used']}, {c['status']}, {fixed} FROM {inv} WHERE {c['id']} = %s{for_update}",
        close=f"UPDATE {inv} SET {c['used']} = %s, {c['status']} = %s, {c['draft_enc']} = NULL WHERE {c['id']} = %s",
        finish=f"UPDATE {inv} SET {c['used']} = %s, {c['status']} = %s, {c['mode']} = %s WHERE {c['id']} = %s",
        quota_met=f"SELECT 1 FROM {fill} WHERE {f['task']} = %s "
                  f"AND {f['completes']} >= (SELECT {t['quota']} FROM {task} WHERE {t['id']} = %s)",
        # The quota is compared in the same statement that counts: the row lock it takes
        # makes a second completion wait and then see the new count (never overshoots).
        count_quota=f"UPDATE {fill} SET {f['completes']} = {f['completes']} + 1 WHERE {f['task']} = %s "
                    f"AND {f['completes']} < (SELECT {t['quota']} FROM {task} WHERE {t['id']} = %s)",
        count_tally=f"UPDATE {tally} SET {y['completes']} = {y['completes']} + 1 "
                    f"WHERE {y['institution']} = %s AND {y['hour']} = %s AND {y['source']} = %s",
    )


def _sql() -> _Statements:
    return _statements(connections[DEFAULT_DB_ALIAS].vendor)


def _execute(sql: str, params: list, fetch: bool):
    """Run one statement; the row it fetches, or the rows it changed.

    On PostgreSQL a plain psycopg cursor (Django's binds on the client): parameters
    sent apart from the statement, which is prepared once per connection, sparing the
    server parsing and planning on every page. Elsewhere Django's cursor. Either way on
    Django's connection and inside its transactions."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each ``connection.x`` looks the alias up again
    if db.vendor == "postgresql":
        db.ensure_connection()
        with psycopg.Cursor(db.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchone() if fetch else cursor.rowcount
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() if fetch else cursor.rowcount


def _one(sql: str, params: list):
    return _execute(sql, params, True)


def _run(sql: str, params: list) -> int:
    return _execute(sql, params, False)


def invitation_context(token_hash: str):
    """(id, institution_id, task_id, survey, group, office) of a link, or None."""
    return _one(_sql().context, [token_hash])


def invitation_state(pk: int):
    """(draft_enc, used, status, channel) now, or None."""
    return _one(_sql().state, [pk])


def save_draft(pk: int, blob: bytes) -> None:
    _run(_sql().save_draft, [blob, pk])


def mark_opened(pk: int) -> None:
    _run(_sql().mark_opened, [InvitationStatus.OPENED, pk, InvitationStatus.CREATED, InvitationStatus.SENT])


def lock_for_completion(pk: int):
    """(draft_enc, used, status, id, institution_id, task_id, survey, group, office), the row
    locked until the transaction ends (the caller holds one)."""
    return _one(_sql().lock, [pk])


def close(pk: int, status: str) -> None:
    """Mark the link used (or spent) and drop the draft answers."""
    _run(_sql().close, [status == InvitationStatus.COMPLETED, status, pk])


def finish(pk: int, mode: str) -> None:
    """Mark the link used; its answers stay (encrypted) until their batch is released."""
    _run(_sql().finish, [True, InvitationStatus.COMPLETED, mode, pk])


def quota_met(task_id: int) -> bool:
    """Whether the task's quota is met now (the quota read fresh: an administrator may change it)."""
    return _one(_sql().quota_met, [task_id, task_id]) is not None


def count_quota(task_id: int) -> bool:
    """Count one complete against the task's quota; False when the quota is met."""
    if _run(_sql().count_quota, [task_id, task_id]):
        return True
    if QuotaFill.objects.filter(task_id=task_id).exists():
        return False
    with transaction.atomic():  # the first complete of a task made before its counter
        QuotaFill.objects.get_or_create(task_id=task_id)
    return bool(_run(_sql().count_quota, [task_id, task_id]))


@lru_cache(maxsize=None)
def _insert_sql(model, vendor: str) -> str:
    q = connection.ops.quote_name
    fields = model._meta.concrete_fields
    return (f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})")


def insert(instance) -> None:
    """Insert a model instance whose key is set already (a UUID): the values prepared by
    the model's own fields, the statement written once per model."""
    fields = type(instance)._meta.concrete_fields
    _run(_insert_sql(type(instance), connection.vendor),
         [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields])


def count_tally(institution_id: int, hour, source: str) -> None:
    params = [institution_id, connection.ops.adapt_datetimefield_value(hour), source]
    if _run(_sql().count_tally, params):
        return
    try:
        with transaction.atomic():
            CompletionTally.objects.create(institution_id=institution_id, hour=hour, source=source, completes=1)
    except IntegrityError:  # another completion of the same hour and source came first
        _run(_sql().count_tally, params)
