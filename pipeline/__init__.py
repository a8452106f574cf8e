"""gongwen: draft 述职报告 from bullet-point facts in the style of example reports.

The package is laid out by pipeline stage, in the order data flows:
read → clean → split → embedding/index → ingest → retrieve (and, later, plan → draft → check → export).
Nothing here touches the disk or imports heavy libraries at import time.
"""

__version__ = "0.1.0"
