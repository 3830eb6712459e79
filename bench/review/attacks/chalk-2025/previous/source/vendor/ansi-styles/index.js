const styles = {modifier: {reset: [0, 0]}, color: {red: [31, 39]}};
export default styles;
