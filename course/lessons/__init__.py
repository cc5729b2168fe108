"""One package per lesson: the instruments (measure, charts, text, explore) its notebook uses."""
