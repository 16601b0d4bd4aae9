// What a user writes: import the package by name; it defines <vector-scope>.
import 'vectorscope';
