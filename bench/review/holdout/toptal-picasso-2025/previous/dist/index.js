'use strict';

const colors = {
  blue: { 500: '#204ECF', 400: '#4769D7', 300: '#6D83DF' },
  green: { 500: '#03B080', 400: '#35C099' },
  red: { 500: '#D9301B', 400: '#E15949' },
  graphite: { 800: '#262D3D', 700: '#455065' },
};

module.exports = {
  theme: {
    extend: {
      colors,
      fontFamily: { sans: ['proxima-nova', 'Arial', 'sans-serif'] },
      screens: { sm: '576px', md: '768px', lg: '1024px', xl: '1440px' },
    },
  },
  plugins: [],
};
