"""Who writes a section: the ``writers`` interface; the model writer (``model_writer``, its prompt and
``reply_fixes``) and the offline composer (``compose``, with the ``phrases`` mined from the examples);
and the ``backend`` the user chose."""
