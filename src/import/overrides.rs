//! The user's answers to the import's guesses: `--title`, `--subtitle`,
//! `--kind`, `--interviewer` and `--speaker ID=NAME` replace what was
//! guessed, and each guess in the comment names the flag that overrides it.

use crate::diag::Diagnostic;
use crate::model::Role;

use super::Options;
use super::detect::Plan;

/// Apply the overrides of `options` to `plan`.
pub fn apply(plan: &mut Plan, options: &Options) -> Result<(), Diagnostic> {
    // A title or subtitle taken from the text and replaced keeps its words
    // in the comment, set aside.
    if let Some(title) = &options.title {
        plan.guesses.retain(|g| !g.starts_with("title"));
        plan.guesses.push("title: set by `--title`".into());
        let old = std::mem::replace(&mut plan.title, title.clone());
        if let Some(line) = plan.title_line {
            plan.set_aside.push((old, line));
        }
    }
    if let Some(subtitle) = &options.subtitle {
        let old =
            std::mem::replace(&mut plan.subtitle, Some(subtitle.clone()).filter(|s| !s.trim().is_empty()));
        plan.set_aside.extend(old.zip(plan.subtitle_line));
        plan.guesses.push("subtitle: set by `--subtitle`".into());
    }
    if let Some(kind) = options.kind {
        plan.guesses.retain(|g| !g.starts_with("kind"));
        plan.guesses.push(format!("kind: {}, set by `--kind`", kind.name()));
        plan.kind = kind;
    }
    for (id, name) in &options.speakers {
        let Some(person) = plan.people.iter_mut().find(|p| same(&p.label, id) || same(&p.name, id)) else {
            return Err(unknown(plan, id, "--speaker"));
        };
        // The body keeps the label it had; `id:` links it to the person.
        person.name = name.trim().to_string();
        person.placeholder = true;
        plan.guesses.push(format!("speaker `{id}`: {name}, set by `--speaker`"));
    }
    if let Some(asker) = &options.interviewer {
        let Some(index) = plan.people.iter().position(|p| same(&p.label, asker) || same(&p.name, asker))
        else {
            return Err(unknown(plan, asker, "--interviewer"));
        };
        for person in plan.people.iter_mut() {
            if person.role != Role::Speaker {
                person.role = Role::Speaker;
            }
        }
        plan.people[index].role = Role::Interviewer;
        plan.guesses.retain(|g| !g.starts_with("interviewer") && !g.starts_with("moderator"));
        plan.guesses.push(format!("interviewer: {}, set by `--interviewer`", plan.people[index].name));
    }
    Ok(())
}

/// Each guess line with the flag that overrides it.
pub fn annotate(guesses: &mut [String]) {
    for guess in guesses.iter_mut() {
        let flag = match guess.split(':').next().unwrap_or_default() {
            _ if guess.contains("set by `--") || guess.contains("(change it with") => continue,
            "title" | "title and subtitle" => "`--title`, `--subtitle`",
            "kind" => "`--kind`",
            "interviewer" | "moderator" => "`--interviewer`",
            "questions" => "`--no-questions`",
            "line breaks" => "`--no-unwrap`",
            "participants" => "`--speaker LABEL=\"Full Name\"`",
            g if g.starts_with("format") && guess.contains("merged") => "`--pause`",
            _ => continue,
        };
        guess.push_str(&format!(" [override: {flag}]"));
    }
}

fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The error for a flag naming nobody, listing who there is.
fn unknown(plan: &Plan, who: &str, flag: &str) -> Diagnostic {
    let known: Vec<&str> = plan.people.iter().map(|p| p.label.as_str()).take(12).collect();
    Diagnostic::error(format!("`{flag} {who}` names no speaker of the transcript")).hint(
        if known.is_empty() {
            "the import found no speakers".to_string()
        } else {
            format!("its speakers are labelled {}", known.join(", "))
        },
    )
}
