from django.urls import path

from handoff.views import lead, opportunities, queue, returned, sqls, teams

app_name = "handoff"
urlpatterns = [
    path("queue/", queue.queue, name="queue"),
    path("queue/rows/", queue.queue_rows, name="queue_rows"),
    path("queue/bulk/", queue.bulk, name="bulk"),
    path("queue/<int:pk>/", queue.work_panel, name="work"),
    path("queue/<int:pk>/claim/", queue.claim, name="claim"),
    path("queue/<int:pk>/first-touch/", queue.first_touch, name="first_touch"),
    path("queue/<int:pk>/accept/", queue.accept, name="accept"),
    path("queue/<int:pk>/return/", queue.return_to_marketing, name="return"),
    path("queue/<int:pk>/disqualify/", queue.disqualify, name="disqualify"),
    path("queue/<int:pk>/status/", queue.set_status, name="status"),
    path("queue/<int:pk>/reassign/", queue.reassign, name="reassign"),
    path("leads/<int:pk>/status/", lead.lead_status, name="lead_status"),
    path("leads/<int:pk>/qualification/", lead.qualification, name="qualification"),
    path("leads/<int:pk>/promote/", lead.promote, name="promote"),
    path("leads/<int:pk>/return/", lead.return_to_marketing, name="return_sal"),
    path("leads/<int:pk>/disqualify/", lead.disqualify, name="disqualify_lead"),
    path("leads/<int:pk>/reinstate/", lead.reinstate, name="reinstate_lead"),
    path("leads/<int:pk>/opportunity/", lead.open_opportunity, name="open_opportunity"),
    path("returned/", returned.ReturnedLeadsView.as_view(), name="returned"),
    path("teams/", teams.team_list, name="teams"),
    path("teams/<int:pk>/", teams.team_detail, name="team"),
    path("teams/<int:pk>/mode/", teams.team_mode, name="team_mode"),
    path("teams/<int:pk>/members/", teams.add_member, name="add_member"),
    path("members/<int:pk>/", teams.member, name="member"),
    path("return-reasons/", teams.return_reasons, name="return_reasons"),
    path("return-reasons/<int:pk>/", teams.return_reason, name="return_reason"),
    path("criteria/", teams.criteria, name="criteria"),
    path("sqls/", sqls.SqlListView.as_view(), name="sqls"),
    path("opportunities/", opportunities.OpportunityListView.as_view(), name="opportunities"),
    path("opportunities/<int:pk>/", opportunities.opportunity_detail, name="opportunity"),
]
