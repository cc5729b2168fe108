"""One package per lesson: the instruments each lesson notebook imports as `lesson`."""
