"""The path of a procedure as BPMN 2.0 XML, with its diagram interchange (drawn from layout.py).

A modeller (bpmn.io, Camunda Modeler, Signavio) opens the file and shows the same picture
as the admin editor: the semantic part names the flow nodes and sequence flows, the
BPMNDI part carries the positions. The process is documentation, not something to execute
(``isExecutable="false"``): the engine runs every procedure through its one generic flow.
"""

import xml.etree.ElementTree as ET

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
for prefix, uri in (("bpmn", MODEL), ("bpmndi", BPMNDI), ("dc", DC), ("di", DI), ("xsi", XSI)):
    ET.register_namespace(prefix, uri)

ELEMENTS = {
    "start": "startEvent",
    "end": "endEvent",
    "task": "userTask",
    "wait": "intermediateCatchEvent",
    "exclusive": "exclusiveGateway",
    "parallel": "parallelGateway",
}


def _tag(namespace, name):
    return f"{{{namespace}}}{name}"


def render(diagram, code, number):
    """BPMN 2.0 XML (bytes, UTF-8) of ``diagram``, the path of version ``number`` of ``code``."""
    slug = "".join(c if c.isalnum() else "_" for c in code)
    process_id = f"Process_{slug}_v{number}"
    root = ET.Element(_tag(MODEL, "definitions"), {
        "id": f"Definitions_{slug}_v{number}",
        "targetNamespace": f"urn:egov:procedure:{code}:{number}",
        "exporter": "Mot Cua", "exporterVersion": "1",
    })  # fmt: skip
    process = ET.SubElement(root, _tag(MODEL, "process"), {
        "id": process_id, "name": diagram.name, "isExecutable": "false",
    })  # fmt: skip
    incoming, outgoing = {}, {}
    for edge in diagram.edges:
        outgoing.setdefault(edge.source, []).append(edge.id)
        incoming.setdefault(edge.target, []).append(edge.id)
    for node in diagram.nodes:
        attributes = {"id": node.id, "name": node.label} if node.label else {"id": node.id}
        if node.kind == "exclusive" and node.onward:
            attributes["default"] = _onward_edge(diagram, node).id
        element = ET.SubElement(process, _tag(MODEL, ELEMENTS[node.kind]), attributes)
        if node.detail:
            ET.SubElement(element, _tag(MODEL, "documentation")).text = " · ".join(node.detail)
        for flow in incoming.get(node.id, ()):
            ET.SubElement(element, _tag(MODEL, "incoming")).text = flow
        for flow in outgoing.get(node.id, ()):
            ET.SubElement(element, _tag(MODEL, "outgoing")).text = flow
        if node.kind == "wait":  # the applicant's answer arrives as a message
            ET.SubElement(element, _tag(MODEL, "messageEventDefinition"), {"id": f"{node.id}_message"})
    for edge in diagram.edges:
        attributes = {"id": edge.id, "sourceRef": edge.source, "targetRef": edge.target}
        if edge.label:
            attributes["name"] = edge.label
        flow = ET.SubElement(process, _tag(MODEL, "sequenceFlow"), attributes)
        if edge.outcomes:  # a branch of a decision: taken on the officer's outcome
            condition = ET.SubElement(flow, _tag(MODEL, "conditionExpression"),
                                      {_tag(XSI, "type"): "bpmn:tFormalExpression"})  # fmt: skip
            condition.text = _condition(edge.outcomes)

    picture = ET.SubElement(root, _tag(BPMNDI, "BPMNDiagram"), {"id": f"Diagram_{slug}_v{number}"})
    plane = ET.SubElement(picture, _tag(BPMNDI, "BPMNPlane"), {"id": f"Plane_{slug}_v{number}",
                                                                 "bpmnElement": process_id})  # fmt: skip
    for node in diagram.nodes:
        attributes = {"id": f"{node.id}_di", "bpmnElement": node.id}
        if node.kind == "exclusive":
            attributes["isMarkerVisible"] = "true"
        shape = ET.SubElement(plane, _tag(BPMNDI, "BPMNShape"), attributes)
        ET.SubElement(shape, _tag(DC, "Bounds"), {
            "x": str(node.x), "y": str(node.top), "width": str(node.w), "height": str(node.h),
        })  # fmt: skip
    for edge in diagram.edges:
        line = ET.SubElement(plane, _tag(BPMNDI, "BPMNEdge"), {"id": f"{edge.id}_di", "bpmnElement": edge.id})
        for x, y in edge.points:
            ET.SubElement(line, _tag(DI, "waypoint"), {"x": str(x), "y": str(y)})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _condition(outcomes):
    if len(outcomes) == 1:
        return f"outcome == '{outcomes[0]}'"
    return "outcome in (" + ", ".join(f"'{o}'" for o in outcomes) + ")"


def _onward_edge(diagram, gateway):
    """The edge a gateway sends the dossier on by: the one along the line."""
    return next(e for e in diagram.edges if e.source == gateway.id and e.label == gateway.onward)
