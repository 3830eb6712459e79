const supportsColor = {stdout: {level: 1}, stderr: {level: 1}};
export default supportsColor;
