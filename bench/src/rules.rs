//! Generated rule sets shaped like real exports: conditions on Ticket is, group, channel,
//! status, tags and custom fields, with an any-list; tag, priority and notification
//! actions. Each trigger carries its own nullifying tag, as real ones do.

/// Groups the generated triggers and events spread over.
pub const GROUPS: u64 = 50;
/// The first group id.
pub const FIRST_GROUP: u64 = 360_012_000_100;

/// A rule set of `n` triggers.
pub fn rule_set(n: usize) -> String {
    (0..n).map(trigger).collect()
}

fn trigger(i: usize) -> String {
    let channel = ["Messagerie", "Email", "Web form", "API"][i % 4];
    let status = ["Open", "Pending", "Solved", "New"][i % 4];
    format!(
        r#"trigger "Route {i}" {{
  category "Routing {cat}"
  when all {{
    Ticket is Updated
    Group is {group}
    Canal is {channel}
    Status is not {status}
    Tags excludes routed_{i}
    custom_fields_{field} is tier_{tier}
    any {{
      Priority > Normal
      Subject contains "refund {i}"
    }}
  }}
  then {{
    Tags += routed_{i}
    Priority = High
    notify group {group} "Ticket {{{{ticket.id}}}} needs you" "Routed by trigger {i}"
  }}
}}
"#,
        cat = i % 20,
        group = FIRST_GROUP + i as u64 % GROUPS,
        field = 4_612_925_021_000u64 + (i % 30) as u64,
        tier = i % 3,
    )
}
