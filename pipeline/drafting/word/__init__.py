"""The draft on paper: ``export`` (Markdown and the GB/T 9704 Word file, laid out by ``gbt9704``, with
``docprops``) and ``readback`` (the Word file as the user edited it)."""
