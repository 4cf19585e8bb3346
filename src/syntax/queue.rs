//! Routing queues, text to syntax tree: one builder function per grammar rule, as for
//! triggers in [`parser`](super::parser).

use pest::iterators::Pair;

use super::ast::{GroupLine, Name, Queue, QueueItem, Spanned, Subqueue};
use super::parser::{
    build_group, build_integer, build_name, build_string, children, span, Built, Rule,
};

/// `queue "Name" { ... }`
pub(super) fn build_queue(pair: Pair<'_, Rule>) -> Built<Queue> {
    let whole = span(&pair);
    let mut inner = children(pair);
    let keyword = span(&inner.next().expect("a queue starts with its keyword"));
    let title_pair = inner.next().expect("a queue has a name");
    let title = Spanned {
        span: span(&title_pair),
        node: build_string(title_pair)?,
    };
    let items = inner.map(build_item).collect::<Result<_, _>>()?;
    Ok(Queue {
        keyword,
        title,
        items,
        span: whole,
    })
}

/// A `queue_item` or a `subqueue_item`.
fn build_item(pair: Pair<'_, Rule>) -> Built<Spanned<QueueItem>> {
    let item = children(pair).next().expect("an item holds its kind");
    let item_span = span(&item);
    let rule = item.as_rule();
    let mut inner = children(item);
    let keyword = inner.next();
    let node = match rule {
        Rule::description => QueueItem::Description(build_string(argument(&mut inner))?),
        Rule::order => QueueItem::Order(build_integer(argument(&mut inner))?),
        Rule::priority => QueueItem::Priority(build_integer(argument(&mut inner))?),
        Rule::percentage => QueueItem::Percentage(build_integer(argument(&mut inner))?),
        Rule::queue_id => {
            let id = argument(&mut inner);
            QueueItem::ZendeskId(match id.as_rule() {
                Rule::string => build_string(id)?,
                _ => id.as_str().to_owned(),
            })
        }
        Rule::when => QueueItem::When(build_group(argument(&mut inner))?),
        Rule::groups => QueueItem::Groups(inner.map(build_group_line).collect::<Result<_, _>>()?),
        Rule::subqueue => {
            let title_pair = argument(&mut inner);
            let title = Spanned {
                span: span(&title_pair),
                node: build_string(title_pair)?,
            };
            let items = inner.map(build_item).collect::<Result<_, _>>()?;
            QueueItem::Subqueue(Subqueue { title, items })
        }
        other => unreachable!("not a queue item rule: {other:?} after {keyword:?}"),
    };
    Ok(Spanned {
        node,
        span: item_span,
    })
}

fn argument<'a>(inner: &mut impl Iterator<Item = Pair<'a, Rule>>) -> Pair<'a, Rule> {
    inner
        .next()
        .expect("the grammar gives the item its argument")
}

/// `primary NAME`, `secondary NAME`.
fn build_group_line(pair: Pair<'_, Rule>) -> Built<GroupLine> {
    let whole = span(&pair);
    let mut inner = children(pair);
    let secondary = inner.next().map(|k| k.as_rule()) == Some(Rule::kw_secondary);
    let name_pair = argument(&mut inner);
    let name: Name = build_name(name_pair)?;
    Ok(GroupLine {
        secondary,
        name,
        span: whole,
    })
}
