"""The outline: the facts file as understood (``facts``, ``bullets``, ``topics``) and the outline every
section is drafted to (``plan``: sections, headings, budgets; ``title``: its lines)."""
