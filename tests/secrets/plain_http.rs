//! Plain `http://` to anything but loopback is refused before a byte is sent.

use mailtrap_tokens::api::{ApiError, Client, Secret, validate_base_url};
use std::net::{IpAddr, TcpListener, UdpSocket};

/// The address of this machine on its default route, if it has one that is not loopback. A UDP "connect"
/// sends nothing; it only asks the kernel which local address would be used.
pub fn non_loopback_ip() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn http_to_a_real_local_interface_is_refused_before_connecting() {
    let Some(ip) = non_loopback_ip() else {
        eprintln!("SKIPPED: this machine has no non-loopback address");
        return;
    };
    let listener = TcpListener::bind((ip, 0)).unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let url = format!("http://{ip}:{port}");
    let token = Secret::new("plain-http-probe-token".into());
    let err = Client::new(&url, token).unwrap_err();
    let ApiError::Config(message) = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("refusing plain http://"), "{message}");
    assert!(message.contains(&ip.to_string()), "{message}");
    assert!(!message.contains("plain-http-probe-token"));
    // Nobody knocked.
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the listener saw {other:?}"),
    }
    // https:// to the same place is allowed to try (and would be encrypted).
    assert!(validate_base_url(&format!("https://{ip}:{port}")).is_ok());
}

#[test]
fn lookalikes_of_loopback_are_refused() {
    for url in [
        "http://0.0.0.0:8080",
        "http://localhost.evil.example",
        "http://127.0.0.1.nip.io",
        "http://[::ffff:7f00:1]:80",
        "http://192.0.2.2",
        "http://mailtrap.io",
        "HTTP://MAILTRAP.IO",
        "http://user:pass@10.0.0.1",
    ] {
        let err = validate_base_url(url).unwrap_err();
        assert!(
            err.to_string().contains("refusing plain http://"),
            "{url}: {err}"
        );
    }
    for url in [
        "http://127.0.0.1:1",
        "http://127.8.9.10",
        "http://[::1]:2",
        "http://LOCALHOST:3",
    ] {
        assert!(validate_base_url(url).is_ok(), "{url}");
    }
}
