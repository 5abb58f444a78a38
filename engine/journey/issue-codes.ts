/**
 * The rules the journey validator checks, by the code each problem carries. The builder shows
 * the message; tooling and tests match on the code.
 */
export const JOURNEY_ISSUE_CODES = {
  schema_invalid: 'A node, edge or member does not have the shape the journey format requires',
  node_type_unknown: 'A node has a type that is not in the node catalogue',
  node_id_duplicate: 'Two nodes share an id',
  edge_id_duplicate: 'Two edges share an id',
  trigger_missing: 'The journey has no trigger',
  trigger_multiple: 'The journey has more than one trigger',
  edge_source_unknown: 'An edge starts at a node that does not exist',
  edge_target_unknown: 'An edge ends at a node that does not exist',
  edge_handle_unknown: 'An edge leaves from an outcome the node does not have',
  edge_into_trigger: 'An edge leads into a trigger',
  handle_multiple_edges: 'One outcome is connected to more than one node',
  handle_unconnected: 'An outcome leads nowhere; connect it, or connect it to an exit',
  node_unreachable: 'A node cannot be reached from the trigger',
  cycle: 'The journey loops back on itself',
  template_syntax: 'A template part is not valid Liquid',
  variable_unknown: 'A template or rule uses a variable the trigger event does not carry',
  variable_undeclared: 'A template uses a variable it did not declare',
  variable_condition_only: 'A template renders a variable that only conditions may read',
  phi_in_header: 'A subject, preheader or sender name uses a variable that is PHI',
  marketing_unsubscribe_missing: 'A marketing email lacks the unsubscribe link',
  marketing_postal_address_missing: "A marketing email lacks the organisation's postal address",
  refill_classification_missing:
    'A refill reminder does not declare its drug and what the organisation is paid for it',
  marketing_campaign_missing: 'A marketing email does not name the campaign it belongs to',
  split_percent_sum: 'Split percentages do not add up to 100',
  split_branch_duplicate: 'Two split branches share an id',
  wait_anchor_not_time: 'A wait anchor is not a date or time variable of the trigger event',
  quiet_hours_empty: 'Quiet hours start and end at the same time',
  cron_invalid: 'A schedule is not a cron expression Pathwell runs (5 or 6 fields), or never fires',
  time_zone_invalid: 'A time zone is not a real IANA zone name',
} as const;

/** A journey validation rule. */
export type JourneyIssueCode = keyof typeof JOURNEY_ISSUE_CODES;
