//! Generated update events shaped like the sample events: messaging and email tickets with
//! full Zendesk ticket objects (keys declic does not read included), sessions in every
//! state, agent-ended sessions, conversation events, business hours on and off. Seeded,
//! so every run measures the same events.

use serde_json::{json, Value};

/// A small deterministic generator (SplitMix64): the benchmark needs repeatable variety,
/// not statistical quality.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// True with probability `percent` in 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// `n` events, one JSON document each.
pub fn generate(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n).map(|i| event(&mut rng, i).to_string()).collect()
}

fn event(rng: &mut Rng, i: usize) -> Value {
    let messaging = rng.chance(70);
    let created = rng.chance(20);
    let assignee = rng
        .chance(50)
        .then_some(361_000_000_000u64 + (i % 40) as u64);
    let routing = if messaging {
        rng.pick(&[
            Value::Null,
            json!("messaging"),
            json!("messaging"),
            json!("email"),
        ])
        .clone()
    } else {
        Value::Null
    };
    let status = *rng.pick(&["new", "open", "open", "open", "pending", "solved"]);
    let mut tags = vec![json!(rng.pick(&["billing", "returns", "delivery", "vip"]))];
    for tag in [
        "abandoned_queue",
        "csat_email",
        "after_hours",
        "email_follow_up",
    ] {
        if rng.chance(5) {
            tags.push(json!(tag));
        }
    }
    let session_now = messaging.then(|| session(rng));
    let ticket = ticket(
        rng,
        i,
        messaging,
        status,
        &tags,
        assignee,
        &routing,
        session_now,
    );
    let mut event = json!({
        "ticket": ticket,
        "update": update(rng, created, messaging),
        "account": {
            "in_business_hours": rng.chance(60),
            "messaging_inactivity_minutes": 15,
            "agent_ended_sessions_route_as_email": rng.chance(50),
        },
    });
    if !created {
        let before = *rng.pick(&["new", "open", status]);
        let session_before = messaging.then(|| json!({"state": "active"}));
        event["previous"] = ticket_before(&event["ticket"], before, session_before);
    }
    event
}

#[allow(clippy::too_many_arguments)]
fn ticket(
    rng: &mut Rng,
    i: usize,
    messaging: bool,
    status: &str,
    tags: &[Value],
    assignee: Option<u64>,
    routing: &Value,
    session: Option<Value>,
) -> Value {
    let (channel, via_id) = if messaging {
        ("native_messaging", 75)
    } else {
        *rng.pick(&[("email", 4), ("web", 0)])
    };
    let score = *rng.pick(&["unoffered", "unoffered", "unoffered", "offered", "good"]);
    let email = rng
        .chance(70)
        .then(|| format!("customer{}@example.fr", i % 1000));
    let mut t = json!({
        "id": 40_000 + i,
        "url": format!("https://example.zendesk.com/api/v2/tickets/{}.json", 40_000 + i),
        "subject": format!("Conversation {i}"),
        "description": "Je voudrais retourner un article.",
        "status": status,
        "priority": rng.pick(&["low", "normal", "high"]),
        "type": null,
        "via": {"channel": channel, "id": via_id, "source": {"from": {}, "to": {}, "rel": null}},
        "tags": tags,
        "group_id": 360_012_000_100u64,
        "assignee_id": assignee,
        "requester_id": 362_000_000_000u64 + (i % 1000) as u64,
        "requester": {"id": 362_000_000_000u64 + (i % 1000) as u64, "name": "Camille Martin",
                      "email": email, "role": "end_user"},
        "brand_id": 360_000_112_233u64,
        "created_at": "2024-05-16T09:05:00Z",
        "updated_at": "2024-05-16T09:22:00Z",
        "satisfaction_rating": {"score": score},
        "routing_channel": routing,
    });
    if let Some(s) = session {
        t["messaging_session"] = s;
    }
    t
}

fn session(rng: &mut Rng) -> Value {
    // The update happens at 09:22; the end user was last heard from 2 to 30 minutes before.
    let silent = *rng.pick(&[2, 5, 12, 20, 30]);
    let last = format!("2024-05-16T09:{:02}:00Z", 22 - silent.min(22));
    match rng.next() % 10 {
        0..=5 => json!({"state": "active", "last_end_user_activity_at": last}),
        6 | 7 => json!({"state": "inactive", "inactive_reason": "user_inactive_or_offline",
                        "last_end_user_activity_at": last}),
        _ => {
            json!({"state": "ended", "end_reason": rng.pick(&["ended_by_agent", "ended_by_trigger"]),
                    "last_end_user_activity_at": last})
        }
    }
}

fn update(rng: &mut Rng, created: bool, messaging: bool) -> Value {
    let mut u = json!({
        "kind": if created { "create" } else { "change" },
        "via_id": 0,
        "actor": {"id": 361_000_000_001u64, "role": "agent"},
        "time": "2024-05-16T09:22:00Z",
    });
    if messaging && rng.chance(25) {
        u["conversation_event"] = json!(rng.pick(&["conversation_requested", "message_sent"]));
    }
    if messaging && !created {
        match rng.next() % 20 {
            0 | 1 => u["session"] = json!("ended_by_agent"),
            2 => u["session"] = json!("end_user_message"),
            _ => {}
        }
    }
    u
}

fn ticket_before(now: &Value, status: &str, session: Option<Value>) -> Value {
    let mut before = now.clone();
    before["status"] = json!(status);
    before["updated_at"] = json!("2024-05-16T09:20:00Z");
    match session {
        Some(s) => before["messaging_session"] = s,
        None => {
            if let Some(t) = before.as_object_mut() {
                t.remove("messaging_session");
            }
        }
    }
    before
}
