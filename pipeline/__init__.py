"""gongwen: draft 述职报告 from bullet-point facts in the style of example reports.

The package is laid out by stage, in the order data flows:

- ``corpus/``      read → clean → split → embedding → index (textstore) → ingest → retrieve
- ``drafting/``    outline → retrieve → writing → checks → word; ``engine`` runs them
- ``llm/``         the chat model behind the LLM writer, its endpoint guard, and the prompt files' loader
- ``evaluation/``  metrics → judge → evaluate → report, built on ``drafting`` (never the reverse)

``genre`` is the vocabulary they share, ``text`` the text helpers. Nothing here touches the disk or
imports heavy libraries at import time.
"""

__version__ = "0.1.0"
