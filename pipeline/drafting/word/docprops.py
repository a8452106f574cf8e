"""Custom document properties (File › Properties › Custom in Word and WPS): where a .docx came from.

The export writes the run folder and the draft's id into the file, so ``gongwen revise`` can find the
draft a user edited. Word and WPS keep custom properties through editing and saving.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

RUN_DIR = "gongwen.run_dir"
DRAFT_ID = "gongwen.draft_id"
_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id every custom property carries


def write_properties(document: Any, properties: dict[str, str]) -> None:
    """Add ``docProps/custom.xml`` holding ``properties`` as text properties."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    ElementTree.register_namespace("", _NS)
    ElementTree.register_namespace("vt", _VT)
    root = ElementTree.Element(f"{{{_NS}}}Properties")
    for pid, (name, value) in enumerate(properties.items(), start=2):  # Word numbers them from 2
        prop = ElementTree.SubElement(root, f"{{{_NS}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        ElementTree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
    blob = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CONTENT_TYPE.OFC_CUSTOM_PROPERTIES, blob, package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def read_properties(document: Any) -> dict[str, str]:
    """The custom text properties of a document ({} when it has none)."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    for rel in document.part.package.rels.values():
        if rel.reltype == RELATIONSHIP_TYPE.CUSTOM_PROPERTIES and not rel.is_external:
            try:
                root = ElementTree.fromstring(rel.target_part.blob)
            except ElementTree.ParseError:
                return {}
            return {prop.get("name", ""): "".join(prop.itertext()).strip()
                    for prop in root.iter(f"{{{_NS}}}property")}
    return {}
