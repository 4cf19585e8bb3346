//! Standard input and output as a [`Connection`], like `lsp_server::Connection::stdio`,
//! except that a message the client garbled is answered and skipped rather than ending
//! the server: `lsp_server`'s own reader stops at the first one, and an editor whose
//! server exits on a bad message loses every feature until it restarts it.

use std::io::{self, BufRead, ErrorKind, Write};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{bounded, Sender};
use lsp_server::{Connection, Message, Notification};

/// The threads behind [`stdio`]: join them once the connection is dropped.
pub struct IoThreads {
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl IoThreads {
    /// Waits for both threads: the reader ends with the client's input, the writer once
    /// every sender of the connection is dropped.
    pub fn join(self) {
        // Neither thread panics on I/O; a panic there would have been reported already.
        let _ = self.reader.join();
        let _ = self.writer.join();
    }
}

/// A connection on standard input and output.
pub fn stdio() -> (Connection, IoThreads) {
    let (to_client, outgoing) = bounded::<Message>(0);
    let (incoming, from_client) = bounded::<Message>(0);
    let writer = thread::spawn(move || {
        let mut stdout = io::stdout().lock();
        for message in outgoing {
            if message.write(&mut stdout).is_err() {
                break;
            }
        }
        let _ = stdout.flush();
    });
    let errors = to_client.clone();
    let reader = thread::spawn(move || read(&mut io::stdin().lock(), &incoming, &errors));
    let connection = Connection {
        sender: to_client,
        receiver: from_client,
    };
    (connection, IoThreads { reader, writer })
}

/// Reads messages from `input` until it ends or `exit` comes; a garbled message is told
/// to the client on `errors` and skipped.
fn read(input: &mut impl BufRead, incoming: &Sender<Message>, errors: &Sender<Message>) {
    loop {
        match Message::read(input) {
            Ok(Some(message)) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if incoming.send(message).is_err() || exit {
                    return;
                }
            }
            // The header said how long the body was, and all of it was read: the next
            // message starts after it.
            Err(e) if e.kind() == ErrorKind::InvalidData => {
                let _ = errors.send(log_error(&e.to_string()));
            }
            // The input ended, or broke mid-message: the client is gone.
            Ok(None) | Err(_) => return,
        }
    }
}

/// A `window/logMessage` of type Error: JSON-RPC's parse-error response needs an id the
/// garbled message may not have, and every client shows a log message.
fn log_error(reason: &str) -> Message {
    Notification::new(
        "window/logMessage".to_owned(),
        serde_json::json!({
            "type": 1,
            "message": format!("declic lsp skipped a message it could not read: {reason}"),
        }),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn a_garbled_message_is_reported_and_the_next_one_read() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = framed("{not json") + &framed(good);
        let (incoming, received) = bounded(8);
        let (errors, reported) = bounded(8);
        read(&mut input.as_bytes(), &incoming, &errors);
        let received: Vec<Message> = received.try_iter().collect();
        assert!(
            matches!(&received[..], [Message::Notification(n)] if n.method == "initialized"),
            "{received:?}"
        );
        let reported: Vec<Message> = reported.try_iter().collect();
        assert!(
            matches!(&reported[..], [Message::Notification(n)] if n.method == "window/logMessage"),
            "{reported:?}"
        );
    }

    #[test]
    fn input_that_ends_mid_message_ends_the_reader() {
        let input = "Content-Length: 100\r\n\r\n{\"jsonrpc\"";
        let (incoming, received) = bounded(8);
        let (errors, reported) = bounded(8);
        read(&mut input.as_bytes(), &incoming, &errors);
        assert_eq!(received.try_iter().count() + reported.try_iter().count(), 0);
    }
}
