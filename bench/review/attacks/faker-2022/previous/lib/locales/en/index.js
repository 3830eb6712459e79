var en = {};
module['exports'] = en;
en.title = 'English';
