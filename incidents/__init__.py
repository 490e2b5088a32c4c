"""The incident model every layer uses: clustering candidates into incidents, the claims of each
source, analysts' corrections and the review workflow's rules (the pipeline, the web UI and the
CLI alike; the screens and exports are `triage`'s)."""
