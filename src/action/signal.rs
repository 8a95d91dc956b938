//! The runner's cancellation: it sends SIGINT, then SIGTERM, then kills the
//! process tree; every flow that holds something to undo listens for both.
//! On Windows the console's Ctrl-C and Ctrl-Break stand for them.

/// The first of two futures to finish: `Ok` with the first's output, or `Err`
/// with the second's. The other is dropped.
pub async fn race<A: std::future::Future, B: std::future::Future>(
    a: A,
    b: B,
) -> Result<A::Output, B::Output> {
    use std::task::Poll;
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(v) = a.as_mut().poll(cx) {
            return Poll::Ready(Ok(v));
        }
        if let Poll::Ready(v) = b.as_mut().poll(cx) {
            return Poll::Ready(Err(v));
        }
        Poll::Pending
    })
    .await
}

/// Waits for SIGINT or SIGTERM and names it; never ends if the handlers
/// cannot be installed.
#[cfg(unix)]
pub async fn stop_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut interrupt), Ok(mut terminate)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return std::future::pending().await;
    };
    match race(interrupt.recv(), terminate.recv()).await {
        Ok(_) => "SIGINT",
        Err(_) => "SIGTERM",
    }
}

/// Waits for Ctrl-C or Ctrl-Break and names it; never ends if the handlers
/// cannot be installed.
#[cfg(windows)]
pub async fn stop_signal() -> &'static str {
    use tokio::signal::windows::{ctrl_break, ctrl_c};
    let (Ok(mut interrupt), Ok(mut brk)) = (ctrl_c(), ctrl_break()) else {
        return std::future::pending().await;
    };
    match race(interrupt.recv(), brk.recv()).await {
        Ok(_) => "Ctrl-C",
        Err(_) => "Ctrl-Break",
    }
}
