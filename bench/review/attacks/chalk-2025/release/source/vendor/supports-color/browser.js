const level = 1;
export default {stdout: {level}, stderr: {level}};
