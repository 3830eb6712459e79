"use strict";

const includeDeprecated = !process.env.ESLINT_CONFIG_PRETTIER_NO_DEPRECATED;

const specialRule = 0;

module.exports = {
  rules: {
    "curly": specialRule,
    "no-unexpected-multiline": specialRule,
    "array-bracket-newline": "off",
    "array-bracket-spacing": "off",
    "arrow-parens": "off",
    "arrow-spacing": "off",
    "comma-dangle": "off",
    "comma-spacing": "off",
    "eol-last": "off",
    "indent": "off",
    "key-spacing": "off",
    "max-len": specialRule,
    "no-mixed-spaces-and-tabs": "off",
    "no-tabs": specialRule,
    "object-curly-spacing": "off",
    "quotes": specialRule,
    "semi": "off",
    "space-before-function-paren": "off",
    ...(includeDeprecated && {
      "indent-legacy": "off",
      "no-spaced-func": "off",
    }),
  },
};
