"""Drafting a report, in rooms that follow the data:

- ``outline/``  the facts file read and understood (facts, bullets, topics), and the outline drafted to
  (plan: sections, headings, budgets; the title);
- ``writing/``  who writes each section: the section writers (the model writer with its prompt and reply
  fixes; the offline composer with its phrasebook), and the backend the user chose;
- ``checks/``   what a section must pass before it ships, one entry (``section.check_section``): the fact
  lock, the leak guard, the genre's shape, the form guard, the claims trace and who-reports-when;
- ``word/``     the draft as Markdown and GB/T 9704 Word, and read back from Word after the user edited it.

Above them: ``engine`` runs one draft (plan → retrieve → write and check → record) into a ``runfolder``;
``session`` is one ``gongwen draft``, ``batch`` many; ``revise`` makes the next version of an edited
draft; ``results`` are what drafting produces; ``review`` what the draft's reader is told beyond its gaps.
"""
