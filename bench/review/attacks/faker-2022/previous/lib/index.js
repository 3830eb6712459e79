function Faker(opts) { var self = this; opts = opts || {}; self.locales = opts.locales || {}; self.locale = 'en'; self.name = { firstName: function() { return 'first'; } }; }
module['exports'] = Faker;
