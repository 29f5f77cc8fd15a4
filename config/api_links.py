"""The OpenAPI links between the API's operations: which call a response leads to, and with which
of its values. A client (or schemathesis' stateful run) follows them from a lead it created to
reading, editing and qualifying it, and from a queue row to working that handoff.

Written as a schema postprocessing hook because drf-spectacular has no per-response links; the
table names operations by their operationId, so a renamed or removed endpoint fails the schema
test (tests/api/test_schema_links.py) instead of leaving a dangling link.
"""

ROW_ID = "$response.body#/id"
FIRST_RESULT_ID = "$response.body#/results/0/id"

LEAD_WORK = [
    "v1_leads_retrieve",
    "v1_leads_partial_update",
    "v1_leads_qualification_retrieve",
    "v1_leads_qualification_update",
    "v1_leads_promote_create",
    "v1_leads_disqualify_create",
    "v1_leads_return_create",
    "v1_leads_reinstate_create",
]
HANDOFF_WORK = [
    "v1_handoffs_retrieve",
    "v1_handoffs_claim_create",
    "v1_handoffs_first_touch_create",
    "v1_handoffs_accept_create",
    "v1_handoffs_return_create",
    "v1_handoffs_status_create",
]
OPPORTUNITY_WORK = [
    "v1_opportunities_retrieve",
    "v1_opportunities_update",
    "v1_opportunities_partial_update",
    "v1_opportunities_won_create",
    "v1_opportunities_lost_create",
]

# (operationId, response status) -> (where the id is in that response, operations it leads to)
LINKS = {
    ("v1_leads_create", "201"): (ROW_ID, LEAD_WORK),
    ("v1_leads_create", "200"): (ROW_ID, LEAD_WORK),
    ("v1_leads_list", "200"): (FIRST_RESULT_ID, LEAD_WORK[:1]),
    ("v1_leads_retrieve", "200"): (ROW_ID, LEAD_WORK[1:]),
    ("v1_queue_list", "200"): (FIRST_RESULT_ID, HANDOFF_WORK),
    ("v1_handoffs_claim_create", "200"): (ROW_ID, HANDOFF_WORK[2:]),
    ("v1_opportunities_create", "201"): (ROW_ID, OPPORTUNITY_WORK),
    ("v1_opportunities_list", "200"): (FIRST_RESULT_ID, OPPORTUNITY_WORK[:1]),
}


def operations(result):
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if isinstance(operation, dict) and "operationId" in operation:
                yield operation


def add_links(result, generator, request, public):
    """Each response in LINKS gets a link per operation it leads to, named after it."""
    present = {operation["operationId"] for operation in operations(result)}
    for operation in operations(result):
        for status, response in operation.get("responses", {}).items():
            source = LINKS.get((operation["operationId"], status))
            if not source:
                continue
            expression, targets = source
            response["links"] = {
                target: {"operationId": target, "parameters": {"id": expression}}
                for target in targets
                if target in present
            }
    return result
