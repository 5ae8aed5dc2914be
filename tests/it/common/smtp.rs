//! A real SMTP server on 127.0.0.1 for the digest tests: it speaks EHLO/HELO, MAIL, RCPT, DATA,
//! RSET, NOOP and QUIT (RFC 5321, no TLS, no AUTH), keeps every message it accepted with its
//! envelope, can refuse recipients, and stops its thread when dropped.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How often the accepting thread looks at the stop flag.
const POLL: Duration = Duration::from_millis(20);
/// A client silent for this long is dropped.
const IDLE: Duration = Duration::from_secs(20);
/// The largest message accepted.
const MAX_MESSAGE: usize = 8 * 1024 * 1024;

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The DATA, dot-unstuffed, with CRLF line ends, without the final `.` line.
    pub data: Vec<u8>,
}

pub struct SmtpServer {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SmtpServer {
    /// A server that accepts every recipient.
    pub fn start() -> SmtpServer {
        SmtpServer::start_refusing(false)
    }

    /// With `refuse`, every RCPT gets `550`.
    pub fn start_refusing(refuse: bool) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind an SMTP port on 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("the listener's address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let received = Arc::clone(&received);
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            // One client at a time: a digest is one connection.
                            let _ = session(stream, refuse, &received);
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => thread::sleep(POLL),
                        Err(_) => thread::sleep(POLL),
                    }
                }
            })
        };
        SmtpServer {
            addr,
            received,
            stop,
            thread: Some(thread),
        }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every message accepted so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn session(stream: TcpStream, refuse: bool, received: &Mutex<Vec<Received>>) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(IDLE))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut reply = |line: &str| writer.write_all(format!("{line}\r\n").as_bytes());
    reply("220 localhost ESMTP veille-test")?;
    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => {
                reply("250-localhost greets you")?;
                reply("250-8BITMIME")?;
                reply("250-SMTPUTF8")?;
                reply("250 SIZE 8388608")?;
            }
            "HELO" => reply("250 localhost")?,
            "MAIL" => {
                from = Some(address(&command));
                to.clear();
                reply("250 2.1.0 OK")?;
            }
            "RCPT" if from.is_none() => reply("503 5.5.1 MAIL first")?,
            "RCPT" if refuse => reply("550 5.1.1 mailbox unavailable")?,
            "RCPT" => {
                to.push(address(&command));
                reply("250 2.1.5 OK")?;
            }
            "DATA" if to.is_empty() => reply("503 5.5.1 RCPT first")?,
            "DATA" => {
                reply("354 end with <CRLF>.<CRLF>")?;
                let data = read_data(&mut reader)?;
                received
                    .lock()
                    .map_err(|_| io::Error::other("poisoned"))?
                    .push(Received {
                        mail_from: from.take().unwrap_or_default(),
                        rcpt_to: std::mem::take(&mut to),
                        data,
                    });
                reply("250 2.0.0 queued")?;
            }
            "RSET" => {
                from = None;
                to.clear();
                reply("250 2.0.0 OK")?;
            }
            "NOOP" => reply("250 2.0.0 OK")?,
            "QUIT" => {
                reply("221 2.0.0 bye")?;
                return Ok(());
            }
            _ => reply("502 5.5.2 command not implemented")?,
        }
    }
}

/// `MAIL FROM:<a@b> SIZE=…` → `a@b`.
fn address(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command[start..]
        .find('>')
        .map_or(command.len(), |i| start + i);
    command[start..end].to_string()
}

/// The lines of DATA up to the lone `.`, dot-unstuffed.
fn read_data(reader: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the client left in DATA",
            ));
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(data);
        }
        let unstuffed = if line.starts_with(b"..") {
            &line[1..]
        } else {
            &line[..]
        };
        data.extend_from_slice(unstuffed);
        if data.len() > MAX_MESSAGE {
            return Err(io::Error::other("message too large"));
        }
    }
}
