"""Browser views of the handoff app, one module per page family; all thin over the services."""
