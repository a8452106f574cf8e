"""What a section must pass before it ships, run as one: ``section.check_section``.

``violations`` (what a check finds), ``factlock`` (numbers and facts), ``numbers`` (reading them),
``leak`` (other units' names and sentences), ``shape`` (the genre's), ``form`` (what a reader rejects on
sight), ``trace`` (claims the facts do not hold) and ``standing`` (who reports, and when)."""
