"""The procedure as a picture (issue 23, item 4): SVG on the pages, BPMN 2.0 for modellers.

The BPMN export is checked against the OMG's BPMN 2.0 schema (the XSDs SpiffWorkflow ships
for its own validation) and then opened by SpiffWorkflow's BPMN parser and run from start
to end along the defaults, which proves the picture is one connected path a modeller can
load, not only well-formed XML.
"""

import io
import os

import pytest
import SpiffWorkflow.bpmn.parser as spiff_parser
from django.core.management import call_command
from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.util.task import TaskState

from egov.catalog.definition import ProcedureDefinition
from egov.catalog.diagram.layout import layout
from egov.catalog.format import normalise
from egov.catalog.services import copy_to_draft
from tests.factories import DEMO_PROCEDURES, commune, demo_definition, demo_procedure, submitted

BPMN_NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
           "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI"}  # fmt: skip
SVG_NS = {"svg": "http://www.w3.org/2000/svg"}
SCHEMA = etree.XMLSchema(etree.parse(os.path.join(os.path.dirname(spiff_parser.__file__), "schema", "BPMN20.xsd")))
DEMO_FILES = sorted(p.name for p in DEMO_PROCEDURES.glob("*.yaml"))


def run_through(xml):
    """Open the BPMN in SpiffWorkflow and complete every user task it offers until the end;
    the names of the tasks done, in order. (Our process says isExecutable="false": it
    documents the path; the parser only builds executable ones.)"""
    parser = BpmnParser()
    parser.add_bpmn_xml(etree.fromstring(xml.replace(b'isExecutable="false"', b'isExecutable="true"')))
    workflow = BpmnWorkflow(parser.get_spec(parser.get_process_ids()[0]))
    done = []
    for _round in range(100):
        workflow.do_engine_steps()
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            break
        for task in ready:
            done.append(task.task_spec.bpmn_name)
            task.data["outcome"] = "onward"  # no branch's condition holds: the defaults
            task.run()
    workflow.do_engine_steps()
    assert workflow.is_completed()
    return done


@pytest.mark.parametrize("filename", DEMO_FILES)
def test_every_demo_procedure_exports_valid_bpmn_that_a_modeller_opens_and_runs(filename):
    spec = ProcedureDefinition(normalise(demo_definition(filename)))
    from egov.catalog.diagram import bpmn

    xml = bpmn.render(layout(spec, language="vi"), spec.code, 1)
    document = etree.fromstring(xml)
    assert SCHEMA.validate(document), SCHEMA.error_log

    # every flow node has its shape, every sequence flow its edge (a modeller draws them)
    process = document.find("bpmn:process", BPMN_NS)
    nodes = {e.get("id") for e in process if not e.tag.endswith(("sequenceFlow", "documentation"))}
    flows = {e.get("id") for e in process.findall("bpmn:sequenceFlow", BPMN_NS)}
    drawn = {e.get("bpmnElement") for e in document.iter("{%s}BPMNShape" % BPMN_NS["bpmndi"])}
    lines = {e.get("bpmnElement") for e in document.iter("{%s}BPMNEdge" % BPMN_NS["bpmndi"])}
    assert nodes == drawn and flows == lines

    # along the defaults the path is: intake, the fee if due first, every step (a consultation:
    # one task per partner), the fee if due before the result, the return
    done = run_through(xml)
    expected = ["Tiếp nhận"]
    if spec.payment == "before_processing":
        expected.append("Nộp phí, lệ phí")
    for s in spec.steps:
        expected += [s.name("vi")] * (len(s.consultations) if s.is_consultation else 1)
    if spec.payment == "before_result":
        expected.append("Nộp phí, lệ phí")
    expected.append("Trả kết quả")
    assert done == expected


def test_the_branches_of_a_path():
    """Decisions branch where the definition says: the supplement waits for the applicant
    and comes back to the same task, a send-back returns to the step it names, a rejection
    ends, a consultation splits in parallel and joins."""
    spec = ProcedureDefinition(normalise(demo_definition("building-permit-2-2026.yaml")))
    diagram = layout(spec, language="en")
    edges = {(e.source, e.target): e.label for e in diagram.edges}
    assert edges[("decide_intake", "supplement_intake")] == "ask for more"
    assert ("supplement_intake", "intake") in edges
    assert ("decide_intake", "refused_intake") in edges
    assert ("decide_appraise", "supplement_appraise") in edges
    assert ("supplement_appraise", "step_appraise") in edges
    # approve sends back to the consultation before it: to the split, so partners are asked again
    assert edges[("decide_approve", "split_consult")] == "sent back"
    assert ("decide_approve", "refused_approve") in edges
    partners = [target for source, target in edges if source == "split_consult"]
    assert partners == ["consult_consult_1", "consult_consult_2"]
    assert {("consult_consult_1", "join_consult"), ("consult_consult_2", "join_consult")} <= set(edges)
    # the issuing step has no decision to draw; the fee before the result comes after it
    assert ("step_issue", "payment_result") in edges
    assert ("payment_result", "return") in edges


@pytest.mark.django_db
def test_the_api_serves_bpmn_and_svg_of_any_published_version(api, demo_agencies):
    first = demo_procedure("building-permit-1-2014.yaml")
    code = first.procedure.code
    response = api.get(f"/api/v1/procedures/{code}/bpmn/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert SCHEMA.validate(etree.fromstring(response.content))
    assert "Lấy ý kiến" in response.content.decode()

    response = api.get(f"/api/v1/procedures/{code}/diagram/?version=1", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    picture = etree.fromstring(response.content)
    texts = " ".join(t.text for t in picture.iterfind(".//svg:text", SVG_NS))
    assert "Intake" in texts and "Return of the result" in texts
    # the partners are named, not coded
    assert set(demo_agencies["000.00.14.H56"].display_name.split()) <= set(texts.split())

    # the same as the command writes
    out = io.StringIO()
    call_command("export_procedure", code, "--format", "bpmn", stdout=out)
    assert SCHEMA.validate(etree.fromstring(out.getvalue().encode()))

    # a draft is the administrators' own; unknown versions and codes are not found
    copy_to_draft(first)
    assert api.get(f"/api/v1/procedures/{code}/bpmn/?version=2").status_code == 404
    assert api.get(f"/api/v1/procedures/{code}/diagram/?version=9").status_code == 404
    assert api.get("/api/v1/procedures/0.000000/diagram/").status_code == 404
    assert api.get(f"/api/v1/procedures/{code}/diagram/?version=two").status_code == 400


@pytest.mark.django_db
def test_the_citizen_sees_the_simplified_path_and_the_officer_where_the_dossier_stands(client):
    world = commune()
    page = client.get(f"/procedures/{world.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="procedure-diagram"' in page
    assert "node-decide_intake" not in page  # the officers' decisions are left out for the citizen
    assert "node-step_appraise" in page

    dossier = submitted(world)
    client.force_login(world.intake)
    page = client.get(f"/backoffice/dossiers/{dossier.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    picture = etree.fromstring(page[page.index("<svg") : page.index("</svg>") + 6].encode())
    current = [g.get("id") for g in picture.iterfind(".//svg:g[@class='current']", SVG_NS)]
    assert current == ["node-intake"]
    assert "node-decide_intake" in page


def test_texts_in_the_picture_are_escaped():
    definition = normalise(demo_definition("death-registration.yaml"))
    definition["steps"][0]["name"] = {"vi": "<script>alert(1)</script>", "en": "<b>x</b>"}
    from egov.catalog.diagram import svg

    markup = svg.render(layout(ProcedureDefinition(definition), language="vi"))
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    etree.fromstring(markup.encode())  # still well-formed XML


@pytest.mark.django_db
def test_the_editor_shows_the_path_and_downloads_it_as_bpmn(client):
    from django.urls import reverse

    from tests.factories import administrator

    world = commune()
    client.force_login(administrator())
    page = client.get(reverse("admin:catalog-edit", args=[world.version.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert 'id="procedure-path"' in text and "node-step_appraise" in text
    assert reverse("admin:dossiers-version-plan", args=[world.version.pk]) in text  # a published version
    response = client.get(reverse("admin:catalog-bpmn", args=[world.version.pk]))
    assert response["Content-Disposition"].endswith(f'{world.code}-v1.bpmn"')
    assert SCHEMA.validate(etree.fromstring(response.content))
