"""Use cases for verdicts: submitting, revising, publishing and withdrawing them, and what they sum to."""
