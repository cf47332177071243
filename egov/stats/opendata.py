"""Open data: the service figures anyone may download, without a person in them.

A count under ``SUPPRESS_BELOW`` could point at a person (the one foreigner who married in a
commune in March), so it is hidden. Hiding it is not enough on its own (security review
2026-12, M2): a reader who knows a total and the other parts subtracts, divides a ratio back
into a count, or asks for two windows and takes the difference. So:

* **Windows are calendar months and quarters that have ended.** No free from/to (two windows
  a day apart would isolate a day), no period still growing (asked twice, it would give the
  dossiers in between).
* **Complementary suppression.** Cells that add up to something a reader can know form a
  *relation*: a row's total and its parts (received = online + in person + post + API;
  completed = early + on time + late), a column over the rows with the period's total (which
  every grouping of the period adds up to), and a quarter with its three months. No relation
  may have exactly one hidden cell: if it has, the smallest published cell of it is hidden
  too, and so on until nothing changes. A quarter is worked out together with its months and
  all four groupings (by agency, sector, procedure, month): what one table hides, no other
  gives away.
* **Ratios only from published counts.** A share or a rate is given only when every count
  it comes from is given (so it tells nothing the counts do not); an average of days or of
  ratings only over at least ``SUPPRESS_BELOW`` dossiers or ratings.

What this does not claim: a reader still learns that the hidden cells of a relation add up to
what is left (two hidden cells summing to 3 say each is at most 3) — that is what suppression
gives, by design.
"""

from django.core.cache import cache

from .selectors import figures

SUPPRESS_BELOW = 5
RELATIONS = {
    "received": ("received_online", "received_in_person", "received_post", "received_api"),
    "completed": ("completed_early", "completed_on_time", "completed_late"),
    "fees_paid": ("paid_online", "paid_at_counter"),
}
COUNTS = [
    "received", "received_online", "received_in_person", "received_post", "received_api", "supplement_requested",
    "refused", "withdrawn", "completed", "completed_early", "completed_on_time", "completed_late",
    "fees_paid", "paid_online", "paid_at_counter",
]  # fmt: skip
RATIOS = ["on_time_rate", "average_working_days", "online_share", "paid_online_share", "satisfaction"]
FIELDS = ["key", *COUNTS, *RATIOS]
GROUPS = ("agency", "sector", "procedure", "month")
TOTAL = "total"  # a period's total of a count: not a table, but what a fully shown one adds up to
CACHE_SECONDS = 6 * 3600  # an ended period changes only by a late correction


def published(period, group_by):
    """The rows of ``period`` by ``group_by``, as open data publishes them (hidden: None)."""
    key = f"opendata:{period.its_quarter()}"
    tables = cache.get(key)
    if tables is None:
        tables = _quarter_with_its_months(period.its_quarter())
        cache.set(key, tables, CACHE_SECONDS)
    return tables[(group_by, str(period))]


def _quarter_with_its_months(quarter):
    """Every table of a quarter, worked out together: its months and itself, by every
    grouping. Together, because each grouping of a period adds up to the same totals: a cell
    one table hides must not be given away by another."""
    periods = [quarter, *quarter.months()]
    raw = {(group_by, str(p)): {row["key"]: row for row in figures(p.start, p.end, group_by=group_by)}
           for group_by in GROUPS for p in periods}  # fmt: skip
    cells = {(*table, key, name): row[name] or 0 for table, rows in raw.items() for key, row in rows.items()
             for name in COUNTS}  # fmt: skip
    for p in periods:  # the period's totals, which any fully shown grouping would give away
        for name in COUNTS:
            cells[(TOTAL, str(p), "", name)] = sum(row[name] or 0 for row in raw[(GROUPS[0], str(p))].values())
    hidden = suppress(cells, relations(raw, quarter))
    return {table: [_public_row(table, key, row, hidden) for key, row in rows.items()]
            for table, rows in raw.items()}  # fmt: skip


def relations(raw, quarter):
    """Every set of cells whose sum a reader could know (module docstring)."""
    found = []
    for (group_by, period), rows in raw.items():
        for key in rows:
            for total, parts in RELATIONS.items():
                found.append([(group_by, period, key, name) for name in (total, *parts)])
        for name in COUNTS:  # the column and the period's total
            found.append([(group_by, period, key, name) for key in rows] + [(TOTAL, period, "", name)])
    months = [str(month) for month in quarter.months()]
    for group_by in GROUPS:
        for key in raw[(group_by, str(quarter))]:
            for name in COUNTS:
                found.append([(group_by, str(quarter), key, name)]
                             + [(group_by, m, key, name) for m in months if key in raw[(group_by, m)]])  # fmt: skip
    return found


def suppress(cells, relations):
    """The cells to hide: counts below SUPPRESS_BELOW (not zeros), then as many more as it
    takes for no relation to have exactly one hidden cell (the smallest published one, the
    first in order on a tie, so the answer never varies)."""
    hidden = {cell for cell, value in cells.items() if 0 < value < SUPPRESS_BELOW}
    changed = True
    while changed:
        changed = False
        for relation in relations:
            if sum(cell in hidden for cell in relation) != 1:
                continue
            shown = [cell for cell in relation if cell not in hidden]
            if not shown:
                continue
            # A non-zero cell first: hiding a zero protects little when the reader can guess it.
            partner = min(shown, key=lambda cell: (cells[cell] == 0, cells[cell]))
            hidden.add(partner)
            changed = True
    return hidden


def _public_row(table, key, row, hidden):
    out = {"key": key, **{name: None if (*table, key, name) in hidden else (row[name] or 0) for name in COUNTS}}

    def shown(*names):
        return all(out[name] is not None for name in names)

    out["on_time_rate"] = (round((out["completed_early"] + out["completed_on_time"]) / out["completed"], 4)
                           if shown("completed", "completed_early", "completed_on_time") and out["completed"]
                           else None)  # fmt: skip
    out["average_working_days"] = (round(row["average_working_days"], 1)
                                   if shown("completed") and out["completed"] >= SUPPRESS_BELOW else None)  # fmt: skip
    out["online_share"] = (round((out["received_online"] + out["received_api"]) / out["received"], 4)
                           if shown("received", "received_online", "received_api") and out["received"]
                           else None)  # fmt: skip
    out["paid_online_share"] = (round(out["paid_online"] / out["fees_paid"], 4)
                                if shown("fees_paid", "paid_online") and out["fees_paid"] else None)  # fmt: skip
    out["satisfaction"] = (round(row["satisfaction"], 1)
                           if (row.get("rating_count") or 0) >= SUPPRESS_BELOW else None)  # fmt: skip
    return out
