//! A private tmux server: a real terminal for tests that type keys at duct and read its screen.

use std::path::Path;
use std::process::Command;

/// A private tmux server: a real terminal for duct, torn down even when the test fails.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(dir: &Path, command: &str) -> Option<Tmux> {
        let found = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
        if !super::require("tmux", found) {
            return None;
        }
        let socket = format!("duct-test-{}-{}", std::process::id(), dir.file_name()?.to_string_lossy());
        let ok = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "-c"])
            .arg(dir)
            .arg(command)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "tmux new-session failed");
        Some(Tmux { socket })
    }
    pub fn keys(&self, keys: &[&str]) {
        let ok = Command::new("tmux").args(["-L", &self.socket, "send-keys", "-t", "0"]).args(keys).status();
        assert!(ok.is_ok_and(|s| s.success()), "send-keys {keys:?}");
    }
    pub fn screen(&self) -> String {
        let out = Command::new("tmux").args(["-L", &self.socket, "capture-pane", "-p", "-t", "0"]).output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

impl Tmux {
    /// Resize the window (the command gets SIGWINCH through its terminal).
    pub fn resize(&self, cols: u16, rows: u16) {
        let ok = Command::new("tmux")
            .args(["-L", &self.socket, "resize-window", "-t", "0", "-x", &cols.to_string(), "-y", &rows.to_string()])
            .status();
        assert!(ok.is_ok_and(|s| s.success()), "resize-window");
    }
}
