"""Present stage: CLI, REST API and web page. Thin: no business logic lives here."""
