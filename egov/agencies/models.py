import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.common.text import localize

# National unit identifier (QCVN 102:2016), e.g. 000.00.12.H56: three numeric groups and
# the province group (a letter and two digits).
UNIT_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")


def validate_unit_code(value):
    if not UNIT_CODE_RE.match(value or ""):
        raise ValidationError(
            _("'%(code)s' is not a unit code of the form 000.00.12.H56."), code="unit_code", params={"code": value}
        )


def validate_office_hours(value):
    """Office hours are a list of [start, end] intervals, "HH:MM", in order, not overlapping."""
    if value in (None, []):
        return
    message = _('Office hours are a list of ["HH:MM", "HH:MM"] intervals in increasing order.')
    if not isinstance(value, list):
        raise ValidationError(message, code="office_hours")
    previous_end = "00:00"
    for interval in value:
        if (
            not isinstance(interval, list | tuple)
            or len(interval) != 2
            or not all(isinstance(t, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", t) for t in interval)
            or not (previous_end <= interval[0] < interval[1])
        ):
            raise ValidationError(message, code="office_hours")
        previous_end = interval[1]


class Agency(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        DEPARTMENT = "department", _("Department")
        COMMUNE = "commune", _("Commune")

    code = models.CharField(_("unit code"), max_length=20, unique=True, validators=[validate_unit_code])
    name = models.CharField(_("name"), max_length=250)
    name_en = models.CharField(_("name in English"), max_length=250, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    service_centre = models.BooleanField(
        _("public administration service centre"),
        default=False,
        help_text=_("Receives dossiers for the agencies of its province (Trung tâm Phục vụ hành chính công)."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    office_hours = models.JSONField(
        _("office hours"),
        default=list,
        blank=True,
        validators=[validate_office_hours],
        help_text=_('Intervals in local time, e.g. [["07:30", "11:30"], ["13:00", "17:00"]]. Empty: the default.'),
    )
    active = models.BooleanField(_("active"), default=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def __str__(self):
        return f"{self.display_name} ({self.code})"

    @property
    def audit_label(self):
        return self.code

    @property
    def display_name(self):
        return localize({"vi": self.name, "en": self.name_en or self.name})

    def province(self):
        """The province at the top of this agency's branch."""
        node = self
        seen = set()
        while node.parent_id and node.pk not in seen:
            seen.add(node.pk)
            node = node.parent
        return node

    def service_centre_of_province(self):
        """The province's public administration service centre, if there is one."""
        province = self.province()
        return (
            Agency.objects.filter(service_centre=True, active=True)
            .filter(models.Q(pk=province.pk) | models.Q(parent=province))
            .order_by("level", "code")
            .first()
        )


class AgencyCodeChange(models.Model):
    """Unit codes change when units merge or are renamed (2025); history is never lost."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="code_changes", verbose_name=_("agency"))
    old_code = models.CharField(_("old code"), max_length=20, db_index=True)
    new_code = models.CharField(_("new code"), max_length=20)
    old_name = models.CharField(_("old name"), max_length=250, blank=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("unit code change")
        verbose_name_plural = _("unit code changes")
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.old_code} → {self.new_code}"
