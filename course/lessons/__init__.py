"""One package per lesson, split by concern: measure, charts, text, explore, domain objects."""
