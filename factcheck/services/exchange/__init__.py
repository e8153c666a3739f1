"""Exchange formats and feeds: bulk files, ClaimReview in and out, Google's claims:search, the seed."""
