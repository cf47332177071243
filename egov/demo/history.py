"""A year lived by the demo province: dossiers filed, handled, late, refused and withdrawn
through the real services, so that the dashboard, the queues, the register and open data
show something real on first start (``seed_demo --history``).

Each dossier is played at its own moments: the clock is moved (time-machine) to the moment
an applicant files or an officer acts, so due dates, timeliness, the control slip, the audit
trail and the figures are the engine's own. Deterministic for a seed.

What the past does not do again: the events of the history are counted into the figures
(the statistics consumer) and marked relayed, but no mail goes out for last March, no
webhook fires and no PDF is made for a dossier returned months ago; dossiers still open keep
going the normal way from now on.
"""

import dataclasses
import datetime
import random

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from egov.accounts.identity import mark_verified
from egov.accounts.models import IdentityProof, RoleAssignment, User
from egov.accounts.services import create_citizen
from egov.agencies.models import Agency
from egov.calendar.clock import TimeLimit, WorkingCalendar
from egov.catalog import eform
from egov.catalog.selectors import in_force, version_in_force
from egov.common.vocabulary import Outcome
from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.dossiers.selectors import open_supplement
from egov.dossiers.services.applying import condition_channel, missing_documents
from egov.dossiers.services.handling import allowed_outcomes
from egov.integrations import relay
from egov.integrations.models import OutboxEvent
from egov.stats.rollups import on_event as count_into_figures
from workflows.models import OPEN_TASK_STATUSES, DossierTask

# The tasks an officer does (the applicant's own, answering a request, is played by ``act``).
PEOPLES_TASKS = (DossierTask.Kind.INTAKE, DossierTask.Kind.STEP, DossierTask.Kind.CONSULT, DossierTask.Kind.PAYMENT,
                 DossierTask.Kind.RETURN)  # fmt: skip
# What becomes of a dossier, and how often (of a hundred).
FATES = {
    "on_time": 52, "supplement": 8, "late_with_apology": 6, "refused": 4, "rejected": 3, "withdrawn": 4,
    "open": 20, "overdue": 3,
}  # fmt: skip
CHANNELS = {"online": 60, "in_person": 35, "post": 5}
# Outcomes that move a dossier forward, best first (the step offers some of them).
FORWARD = (Outcome.ACCEPT, Outcome.FORWARD, Outcome.APPROVE, Outcome.ISSUE, Outcome.ANSWER, Outcome.PAID,
           Outcome.RETURNED)  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = {"male": ["Văn", "Hữu", "Đức", "Quang", "Minh"], "female": ["Thị", "Ngọc", "Thu", "Thanh", "Mai"]}
GIVEN = {"male": ["An", "Bảo", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn",
                  "Tâm", "Thắng", "Trung", "Vinh"],
         "female": ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Nga", "Oanh", "Phương",
                    "Thảo", "Trang", "Uyên", "Yến"]}  # fmt: skip
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Hùng Vương", "Nguyễn Huệ", "Quang Trung", "Lý Thường Kiệt", "Hai Bà Trưng"]
NOTES = {
    Outcome.SUPPLEMENT: "Bản chụp giấy tờ bị mờ, đề nghị nộp lại.",
    Outcome.REFUSE: "Hồ sơ không thuộc diện giải quyết của thủ tục này.",
    Outcome.PROPOSE_REFUSAL: "Không đủ điều kiện theo quy định.",
    Outcome.REJECT: "Không đủ điều kiện theo quy định.",
    Outcome.ANSWER: "Thống nhất với đề xuất.",
}
SAMPLE = {"text": "Nội dung mẫu", "textarea": "Ghi chú", "date": "2000-01-01", "boolean": False,
          "email": "lienhe@example.vn", "phone": "0912000000"}  # fmt: skip
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")  # fmt: skip


@dataclasses.dataclass
class Report:
    dossiers: int = 0
    by_status: dict = dataclasses.field(default_factory=dict)
    events: int = 0
    skipped: list = dataclasses.field(default_factory=list)  # (procedure, reason)


def live_a_year(count=2000, seed=2026, today=None, log=None):
    """File ``count`` dossiers over the past year and play each to its fate. Returns a Report."""
    today = today or timezone.localdate()
    year = History(random.Random(seed), today)
    report = Report()
    with relay.paused():  # the past sends nothing: its events are counted below, not relayed
        for number in range(count):
            try:
                dossier = year.play(number)
            except Exception as exc:  # one dossier's bad luck must not stop a demo; say so
                report.skipped.append((number, f"{type(exc).__name__}: {exc} {getattr(exc, 'errors', '')}"))
                continue
            report.dossiers += 1
            report.by_status[dossier.status] = report.by_status.get(dossier.status, 0) + 1
            if log and (number + 1) % 250 == 0:
                log(f"  {number + 1} dossiers")
        report.events = count_the_past()
    return report


def count_the_past():
    """The history's events go into the figures, as the relay would have brought them, and
    are marked relayed and dispatched: the past sends no mail and makes no PDF."""
    pending = OutboxEvent.objects.filter(relayed_at__isnull=True).select_related("dossier").order_by("pk")
    counted = 0
    for event in pending.iterator(chunk_size=2000):
        with transaction.atomic():
            count_into_figures(event)
        counted += 1
    now = timezone.now()
    OutboxEvent.objects.filter(relayed_at__isnull=True).update(relayed_at=now, dispatched_at=now)
    return counted


class History:
    def __init__(self, rng, today):
        self.rng = rng
        self.today = today
        self.calendar = WorkingCalendar()
        self.codes = sorted(in_force().values_list("procedure__code", flat=True))
        # The communes the demo staffs (a dossier for another would wait for nobody).
        staffed = Agency.objects.filter(level="commune", active=True, role_assignments__role="intake_officer")
        self.communes = list(staffed.distinct().order_by("code"))
        self.officers = {}
        self.people = [self._citizen(i) for i in range(120)]

    # -- who -------------------------------------------------------------------------------

    def _citizen(self, i):
        username = f"dan.{i:03d}"
        existing = User.objects.filter(username=username).first()
        if existing:
            return existing
        sex = "male" if i % 2 else "female"
        born = 1950 + (i * 7) % 55
        name = f"{FAMILY[i % len(FAMILY)]} {MIDDLE[sex][i % 5]} {GIVEN[sex][(i // 2) % 16]}"
        # 045 is Quảng Trị; the fourth digit is the century and sex, then the year of birth.
        century = (0 if born < 2000 else 2) + (0 if sex == "male" else 1)
        personal_id = f"045{century}{born % 100:02d}{700000 + i:06d}"
        person = create_citizen(username, full_name=name, personal_id=personal_id, phone=f"09{41000000 + i:08d}",
                                email=f"{username}@example.vn", address=f"Số {i + 1} {STREETS[i % 7]}",
                                date_of_birth=datetime.date(born, 1 + i % 12, 1 + i % 28))  # fmt: skip
        desk = User.objects.filter(role_assignments__role="intake_officer").order_by("pk").first()
        mark_verified(person, IdentityProof.DESK, desk)
        return person

    def officer(self, role, agency_id):
        key = (role, agency_id)
        if key not in self.officers:
            grant = (RoleAssignment.objects.filter(role=role, agency_id=agency_id, active=True)
                     .select_related("user").order_by("pk").first())  # fmt: skip
            self.officers[key] = grant.user if grant else None
        return self.officers[key]

    # -- when ------------------------------------------------------------------------------

    def later(self, moment, working_hours):
        return self.calendar.add_working_seconds(moment, int(working_hours * 3600))

    def filed_at(self, fate):
        """Open dossiers were filed lately (a few long ago: overdue); the rest over the year."""
        days_ago = {"open": self.rng.randint(0, 12), "overdue": self.rng.randint(20, 60)}.get(
            fate, self.rng.randint(14, 360))  # fmt: skip
        day = self.today - datetime.timedelta(days=days_ago)
        while not self.calendar.is_working_day(day):
            day -= datetime.timedelta(days=1)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 30)), self.calendar.zone)
        return self.later(start, self.rng.uniform(0.2, 7.5))

    def pace(self, dossier, fate):
        """Working hours until the next move: a share of the dossier's time limit, so most
        finish early or on time; a late one's steps drag."""
        hours = TimeLimit.from_definition(dossier.time_limit).as_hours() if dossier.time_limit else 24
        share = self.rng.uniform(0.25, 0.5) if fate in ("late_with_apology", "overdue") else self.rng.uniform(0.03, 0.2)
        return max(0.2, hours * share)

    # -- what ------------------------------------------------------------------------------

    def pick(self, weights):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def data_for(self, spec, person, channel):
        """Answers to every field that shows for them (one required only in some cases too)."""
        data = {}
        for field in spec.input_fields:
            if field.type == "date" and field.raw.get("min"):  # an appointment, well ahead
                data[field.key] = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
            elif field.type in ("integer", "decimal", "money"):
                data[field.key] = max(field.raw.get("min", 1), 1)
            elif field.type in ("choice", "multichoice"):
                first = self.rng.choice(field.choices())[0]
                data[field.key] = [first] if field.type == "multichoice" else first
            elif field.type == "agency":
                data[field.key] = self.rng.choice(self.communes).code
            elif field.type == "personal_id":
                data[field.key] = "045090001234"
            else:
                data[field.key] = SAMPLE.get(field.type, "Nội dung mẫu")
        states = eform.field_states(spec, data, eform.applicant_context(person), condition_channel(channel))
        return {key: value for key, value in data.items() if states.get(key, (False,))[0]}

    # -- a dossier's life ------------------------------------------------------------------

    def play(self, number):
        fate = self.pick(FATES)
        code = self.codes[number % len(self.codes)]
        person = self.rng.choice(self.people)
        moment = self.filed_at(fate)
        with time_machine.travel(moment, tick=False), transaction.atomic():
            dossier = self.file(person, code)
        ends_at = timezone.now()
        for steps in range(25):
            task = self.next_task(dossier)
            waiting = task is None and open_supplement(dossier) is not None
            if task is None and not waiting:
                break
            if fate in ("open", "overdue") and self.rng.random() < 0.35:
                break  # still in someone's queue (or the applicant's)
            moment = self.later(moment, self.pace(dossier, fate))
            if moment >= ends_at:
                break
            with time_machine.travel(moment, tick=False), transaction.atomic():
                dossier = self.answer(dossier) if waiting else self.act(dossier, task, fate, steps)
            if dossier.status == Dossier.Status.WITHDRAWN:
                break
        if dossier.status == Dossier.Status.RETURNED and self.rng.random() < 0.4:
            moment = self.later(moment, self.rng.uniform(1, 16))
            if moment < ends_at:
                with time_machine.travel(moment, tick=False):
                    services.rate(dossier.applicant, dossier, self.pick({5: 55, 4: 30, 3: 10, 2: 3, 1: 2}))
        return dossier

    def file(self, person, code):
        """Filed under the rules in force that day (a version may have come in mid-year)."""
        spec = version_in_force(code).spec
        channel = self.pick({c: w for c, w in CHANNELS.items() if c in spec.channels})
        data = self.data_for(spec, person, channel)
        desk = self.desk_for(spec, data) if channel != "online" else None
        if desk is None:
            actor = person
            dossier = services.create_draft(person, spec.code, data, channel="online")
        else:
            actor = self.officer("intake_officer", desk.pk)
            applicant = {"personal_id": person.personal_id, "full_name": person.full_name, "id_card_seen": True}
            dossier = services.create_draft(actor, spec.code, data, channel=channel, applicant=applicant,
                                            agency_code=desk.code)  # fmt: skip
        for key in missing_documents(dossier):  # the papers this case needs, as the engine says
            paper = SimpleUploadedFile("giay-to.pdf", PDF, content_type="application/pdf")
            services.add_attachment(actor, dossier, key, paper)
        return services.submit(actor, dossier, consent=actor.kind == User.Kind.CITIZEN)

    def desk_for(self, spec, data):
        """The one-stop desk a walk-in goes to: the deciding commune's, or the province's
        centre, or a unit the procedure names; None when the demo has no officer there."""
        deciding = Agency.objects.filter(code=spec.deciding_code(data)).first()
        if spec.receiving == "any":
            if deciding is None:
                return None
            units = [deciding if deciding.level == Agency.Level.COMMUNE
                     else deciding.service_centre_of_province() or deciding]  # fmt: skip
        else:
            units = list(Agency.objects.filter(code__in=spec.receiving))
        return next((unit for unit in units if self.officer("intake_officer", unit.pk)), None)

    def next_task(self, dossier):
        return (DossierTask.objects.filter(dossier=dossier, status__in=OPEN_TASK_STATUSES, kind__in=PEOPLES_TASKS)
                .order_by("pk").first())  # fmt: skip

    def act(self, dossier, task, fate, steps):
        dossier.refresh_from_db()
        if fate == "withdrawn" and steps == 1:
            return services.withdraw(dossier.applicant, dossier, "Không còn nhu cầu.")
        if fate == "late_with_apology" and steps == 1 and dossier.due_at and not dossier.extended_due_at:
            approver = self.officer("approver", dossier.deciding_agency_id)
            if approver is not None:
                new_due = self.later(dossier.due_at, 24)
                services.apologise(approver, dossier, new_due.isoformat(), "Hồ sơ cần xác minh thêm tại thực địa.")
        officer = self.officer(task.role, task.agency_id)
        if officer is None:
            raise LookupError(f"no demo officer holds {task.role} at agency {task.agency_id}")
        allowed = allowed_outcomes(task)
        outcome, data = self.choose(dossier, task, allowed, fate, steps)
        services.complete_task(officer, task.pk, outcome, data, NOTES.get(outcome, ""))
        dossier.refresh_from_db()
        return dossier

    def answer(self, dossier):
        """The applicant sends the papers asked for."""
        request = open_supplement(dossier)
        for key in request.documents:
            paper = SimpleUploadedFile("giay-to-bo-sung.pdf", PDF, content_type="application/pdf")
            services.add_attachment(dossier.applicant, dossier, key, paper)
        services.answer_supplement(dossier.applicant, dossier, {}, "Đã nộp lại bản rõ.")
        dossier.refresh_from_db()
        return dossier

    def choose(self, dossier, task, allowed, fate, steps):
        """The outcome this dossier's fate calls for, with what the step's own form asks."""
        spec = dossier.spec
        form = spec.steps[task.step_index].raw.get("form", []) if task.kind == DossierTask.Kind.STEP else []
        data = {f["key"]: SAMPLE.get(f["type"], 1) for f in form if f.get("required") is True}
        if fate == "refused" and Outcome.REFUSE in allowed:
            return Outcome.REFUSE, data
        if fate == "supplement" and Outcome.SUPPLEMENT in allowed and steps == 1:
            return Outcome.SUPPLEMENT, {**data, "documents": [spec.documents[0].key]}
        if fate == "rejected":
            for outcome in (Outcome.PROPOSE_REFUSAL, Outcome.REJECT):
                if outcome in allowed:
                    return outcome, data
        if Outcome.RETURNED in allowed:
            return Outcome.RETURNED, {"how": self.pick({"desk": 60, "electronic": 30, "post": 10})}
        if Outcome.PAID in allowed:
            return Outcome.PAID, {"reference": f"BL-{dossier.code}"}
        return next(o for o in FORWARD if o in allowed), data
