"""Use cases for links and matching: finding near-duplicates, deciding links, groups and vectors."""
