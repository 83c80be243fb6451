// texture in a comment
/* matrix
   vector */ float4 vector = "sampler\"x"; 'c'
vector<float, 3> v; (matrix)m; precise float p; 1e5f 0x1Fline
texture.x = sampler[0] + point(line) , triangleadj;lineadj
centroid nointerpolation noperspective globallycoherent
float f(float texture /* c */ , matrix < 2 > m) /* open