"""Files people hand in (pure): what an evidence file is and whether a context takes it."""
